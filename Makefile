# vmplay: `make` builds, `make check` runs every test, `make deps` installs
# the Debian packages listed in deps/debian-packages.txt (building and
# playing) and deps/debian-test-packages.txt (the tests).

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/vmplay
DESTDIR ?=

CC ?= cc
BUILD ?= build
PKGS = sdl2 libvncclient json-c SDL2_ttf SDL2_image fontconfig libvirt zlib
CFLAGS ?= -O2 -g
WARNINGS = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifdef SANITIZE
CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
endif
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS := $(shell pkg-config --libs $(PKGS) 2>/dev/null)
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE $(WARNINGS) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) \
	-Isrc $(PKG_CFLAGS) -MMD -MP
LIBS = $(PKG_LIBS) -lm -lpthread

# The layers, lowest first: a file may include its own layer and those
# before it (make check runs tests/layers.sh to hold that).
LAYERS := base vm player cli
SRCS := $(foreach l,$(LAYERS),$(wildcard src/$(l)/*.c))
LIB_OBJS := $(patsubst src/%.c,$(BUILD)/obj/%.o,$(SRCS))
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRCS))
LINT_TESTS := $(sort $(wildcard tests/lint/test_*.sh))
E2E_TESTS := $(sort $(wildcard tests/e2e/test_*.sh))

# The test programs and the benchmark (mk/*.mk) append to this list.
CHECK_DEPS :=

.PHONY: all check unit-check asan-check deps demo install uninstall refresh-caches clean
all: $(BUILD)/vmplay

$(BUILD)/obj/%.o: src/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/vmplay: $(BUILD)/obj/main.o $(LIB_OBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -Itests/unit $(LDFLAGS) -o $@ $< $(LIB_OBJS) $(LIBS)

include $(wildcard mk/*.mk)

# Every unit test program, then every end-to-end script; the last line is
# the sum, "N passed, N failed", and the exit status is non-zero on failure.
check: all $(UNIT_BINS) $(CHECK_DEPS)
	@VMPLAY=$(abspath $(BUILD)/vmplay) BUILD=$(abspath $(BUILD)) \
		tests/run.sh $(LINT_TESTS) $(UNIT_BINS) $(E2E_TESTS)

unit-check: $(UNIT_BINS)
	@tests/run.sh $(UNIT_BINS)

# The unit tests under AddressSanitizer and UndefinedBehaviorSanitizer
# (tests/unit/lsan.supp: leaks inside libraries that are not ours).
asan-check:
	LSAN_OPTIONS=suppressions=$(abspath tests/unit/lsan.supp) \
		$(MAKE) BUILD=build-asan SANITIZE=1 unit-check

# Everything: building, playing and the tests (CI runs make deps && make
# check); make demo installs only deps/debian-packages.txt.
deps:
	@deps/install.sh deps/debian-packages.txt deps/debian-test-packages.txt

# make demo: the first thing a newcomer runs. Installs the Debian packages
# building and playing need (deps/debian-packages.txt, not the test tools
# of deps/debian-test-packages.txt), builds, and plays configs/demo.vmplay
# (memtest86+: its start screen stays untouched; Enter starts testing).
demo:
	@deps/install.sh deps/debian-packages.txt
	@$(MAKE) --no-print-directory all
	@echo "Playing configs/demo.vmplay: memtest86+; press Enter to test the VM's memory;"
	@echo "close the window (twice: memtest ignores the power button) to stop."
	$(BUILD)/vmplay configs/demo.vmplay

# Installed files, source -> destination below $(DESTDIR).
INSTALL_DATA = $(MO_INSTALL) \
	assets/vmplay.desktop:$(DATADIR)/applications/vmplay.desktop \
	assets/vmplay-mime.xml:$(DATADIR)/mime/packages/vmplay.xml \
	assets/icons/vmplay.svg:$(DATADIR)/icons/hicolor/scalable/apps/vmplay.svg \
	assets/icons/application-x-vmplay.svg:$(DATADIR)/icons/hicolor/scalable/mimetypes/application-x-vmplay.svg \
	$(BUILD)/man/vmplay.1:$(MANDIR)/man1/vmplay.1 \
	$(BUILD)/man/vmplay.5:$(MANDIR)/man5/vmplay.5 \
	$(MAN_I18N_INSTALL) \
	configs/example.vmplay:$(DOCDIR)/examples/example.vmplay \
	configs/kiosk.vmplay:$(DOCDIR)/examples/kiosk.vmplay \
	assets/completion/vmplay.bash:$(DATADIR)/bash-completion/completions/vmplay \
	assets/completion/_vmplay:$(DATADIR)/zsh/vendor-completions/_vmplay \
	assets/io.github.vmplay.vmplay.metainfo.xml:$(DATADIR)/metainfo/io.github.vmplay.vmplay.metainfo.xml

# What install needs built (the program, its message catalogues, the man
# pages with the version in them); the Debian package builds this target.
INSTALLABLES = $(BUILD)/vmplay $(MO_FILES) $(BUILD)/man/vmplay.1 $(BUILD)/man/vmplay.5 \
	$(MAN_I18N_FILES)
.PHONY: installables
installables: $(INSTALLABLES)

install: installables
	install -D -m 0755 $(BUILD)/vmplay $(DESTDIR)$(BINDIR)/vmplay
	@for pair in $(INSTALL_DATA); do \
		src=$${pair%%:*}; dst=$(DESTDIR)$${pair#*:}; \
		echo "install $$src $$dst"; install -D -m 0644 $$src $$dst || exit 1; \
	done
	@$(MAKE) --no-print-directory refresh-caches

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vmplay
	@for pair in $(INSTALL_DATA); do \
		dst=$(DESTDIR)$${pair#*:}; echo "rm -f $$dst"; rm -f $$dst; \
	done
	@$(MAKE) --no-print-directory refresh-caches

# The desktop's caches, refreshed only when installing to the live system
# (a staged DESTDIR install leaves that to the package manager).
refresh-caches:
ifeq ($(DESTDIR),)
	-update-mime-database $(DATADIR)/mime 2>/dev/null
	-update-desktop-database -q $(DATADIR)/applications 2>/dev/null
	-gtk-update-icon-cache -q -t -f $(DATADIR)/icons/hicolor 2>/dev/null
else
	@true
endif

clean:
	rm -rf $(BUILD) build-asan

-include $(LIB_OBJS:.o=.d) $(BUILD)/obj/main.d
