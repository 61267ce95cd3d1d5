# make deb: the Debian package (debian/), built from a copy of the files git
# knows (uncommitted changes included, ignored files and build outputs
# not) in $(BUILD)/deb/src, so that the tree stays clean; the .deb and its
# .buildinfo/.changes land in $(BUILD)/deb/. Outside git the whole tree is
# copied, less $(BUILD).
# make check-deb: tests/deb/test_deb.sh, from a clean clone to apt-get purge
# (needs root or sudo; installs the package for a moment). Not part of
# make check: a few minutes; CI runs it after.
DEB_DIR := $(BUILD)/deb
.PHONY: deb check-deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/src
	@if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
		git ls-files -z --cached --others --exclude-standard | \
			xargs -0 sh -c 'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
			tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/src; \
	else \
		tar --exclude=./$(BUILD) -cf - . | tar -xf - -C $(DEB_DIR)/src; \
	fi
	cd $(DEB_DIR)/src && env -u BUILD MAKEFLAGS= MAKELEVEL= \
		dpkg-buildpackage -us -uc -b -J
	@ls $(DEB_DIR)/*.deb

check-deb:
	@BUILD=$(abspath $(BUILD)) tests/run.sh tests/deb/test_deb.sh
