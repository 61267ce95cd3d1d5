#!/bin/bash
# The Debian package, from a clean clone to a purge (make check-deb; CI runs
# it after make check, it takes a few minutes):
# - git clone of the repository (what is committed) into a temp folder;
# - the source package and `dpkg-buildpackage -us -uc -b` build, and lintian
#   finds no error and no warning (overrides, with their reasons, live in
#   debian/source/lintian-overrides and debian/vmplay.lintian-overrides);
# - every pkg-config module the Makefile links comes from a package named
#   in Build-Depends;
# - apt-get install ./vmplay_VERSION_ARCH.deb resolves its dependencies;
#   /usr/bin/vmplay --version names the package's version, vmplay check
#   passes, --dry-run of the demo example works, the file type and its
#   default application are known to the desktop, the metainfo and desktop
#   entry validate, bash finds the completion, the kiosk unit verifies;
# - apt-get purge leaves nothing of it: none of its files, no trace in the
#   desktop's MIME and application caches, no dpkg state.
# Needs root (or sudo without a password) for apt-get; the package is
# installed for a minute only, and purged at exit whatever happened.
. "$(dirname "$0")/../e2e/lib.sh"

for tool in git dpkg-buildpackage dpkg-source lintian apt-get appstreamcli \
	desktop-file-validate xdg-mime; do
	command -v "$tool" >/dev/null || { skip "the Debian package" "$tool missing"; finish; }
done
if [ "$(id -u)" = 0 ]; then
	as_root() { "$@"; }
elif sudo -n true 2>/dev/null; then
	as_root() { sudo -n "$@"; }
else
	skip "the Debian package" "needs root or sudo"
	finish
fi
export DEBIAN_FRONTEND=noninteractive

# ---- build from a clean clone ----
SRC=$TMP/vmplay
if ! git clone -q "$E2E_ROOT" "$SRC" 2>"$TMP/clone.log"; then
	fail "git clone of the repository" "$(tail -n 3 "$TMP/clone.log")"
	finish
fi
ok "git clone of the repository ($(git -C "$SRC" log -1 --format=%h))"
VERSION=$(cd "$SRC" && dpkg-parsechangelog -S Version)
ARCH=$(dpkg --print-architecture)
DEB=$TMP/vmplay_${VERSION}_$ARCH.deb

# lintian prints E: (error) and W: (warning) lines for what it does not
# accept; overridden tags are not printed.
lint() {
	local out=$TMP/lintian-$1.log
	shift
	lintian --fail-on none "$@" >"$out" 2>&1
	if grep -E '^(E|W): ' "$out" >"$out.bad"; then
		return 1
	fi
	return 0
}

if (cd "$TMP" && dpkg-source -b vmplay >"$TMP/source.log" 2>&1); then
	ok "dpkg-source -b: the source package (native, $VERSION)"
	if lint source "$TMP/vmplay_$VERSION.dsc"; then
		ok "lintian: the source package has no error or warning"
	else
		fail "lintian: the source package" "$(head -n 5 "$TMP/lintian-source.log.bad")"
	fi
else
	fail "dpkg-source -b" "$(tail -n 5 "$TMP/source.log")"
fi

# (without this script's BUILD, VMPLAY and make's variables: a clean
# clone as a packager would build it)
if (cd "$SRC" && env -u BUILD -u VMPLAY MAKEFLAGS= MAKELEVEL= \
	dpkg-buildpackage -us -uc -b >"$TMP/build.log" 2>&1); then
	ok "dpkg-buildpackage -us -uc -b"
else
	fail "dpkg-buildpackage -us -uc -b" "$(tail -n 8 "$TMP/build.log")"
	finish
fi
check "it made vmplay_${VERSION}_$ARCH.deb" test -s "$DEB"
if lint binary "$TMP/vmplay_${VERSION}_$ARCH.changes"; then
	ok "lintian: the binary packages have no error or warning"
else
	fail "lintian: the binary packages" "$(head -n 5 "$TMP/lintian-binary.log.bad")"
fi
check "the unit tests ran in the build" grep -Eq '^[0-9]+ passed, 0 failed' "$TMP/build.log"

# The package holds every file `make install` installs (translations
# included, whatever po/ has), man pages compressed.
dpkg-deb -c "$DEB" | awk '{ print $6 }' | sed 's|^\.||' >"$TMP/deb-files"
if (cd "$SRC" && env -u BUILD MAKEFLAGS= make --no-print-directory install \
	DESTDIR="$TMP/stage" PREFIX=/usr VMPLAY_VERSION="$VERSION" >"$TMP/stage.log" 2>&1); then
	absent=
	while IFS= read -r f; do
		grep -qxF -e "$f" -e "$f.gz" "$TMP/deb-files" || absent="$absent $f"
	done < <(cd "$TMP/stage" && find . -type f | sed 's|^\.||')
	if [ -z "$absent" ]; then
		ok "the .deb holds all $(find "$TMP/stage" -type f | wc -l) files make install installs"
	else
		fail "the .deb holds every file make install installs" "missing:$absent"
	fi
else
	fail "make install DESTDIR=... in the clone" "$(tail -n 3 "$TMP/stage.log")"
fi

# Build-Depends lists the package of every library the Makefile links
# (the .pc file's owner), so a library added to PKGS without its -dev
# package fails here rather than on a build machine.
builddeps=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$SRC/debian/control" |
	sed 's/^Build-Depends://; s/[,|]/\n/g' | sed 's/[[(<].*//; s/^ *//; s/ *$//' | grep .)
missing=
for mod in $(sed -n 's/^PKGS *:\?= *//p' "$SRC/Makefile"); do
	pc=$(pkg-config --variable=pcfiledir "$mod" 2>/dev/null)/$mod.pc
	owner=$(dpkg -S "$(realpath "$pc" 2>/dev/null || echo "$pc")" 2>/dev/null | sed -n '1s/[:,].*//p')
	if [ -z "$owner" ] || ! grep -qx "$owner" <<<"$builddeps"; then
		missing="$missing $mod(${owner:-no package})"
	fi
done
# and the message catalogues' compiler
owner=$(dpkg -S "$(readlink -f "$(command -v msgfmt)")" 2>/dev/null | sed -n '1s/[:,].*//p')
if grep -q 'msgfmt' "$SRC"/mk/*.mk && ! grep -qx "${owner:-gettext}" <<<"$builddeps"; then
	missing="$missing msgfmt(${owner:-gettext})"
fi
if [ -z "$missing" ]; then
	ok "Build-Depends names the package of every pkg-config module in PKGS and msgfmt's"
else
	fail "Build-Depends names the package of every pkg-config module" "missing:$missing"
fi

# ---- install ----
if dpkg -s vmplay >/dev/null 2>&1; then
	skip "installing the package" "a vmplay package is installed already; not touching it"
	finish
fi
PURGE_NEEDED=
purge() {
	[ -n "$PURGE_NEEDED" ] || return 0
	PURGE_NEEDED=
	as_root apt-get purge -y -q vmplay >"$TMP/purge.log" 2>&1
}
trap 'purge; e2e_cleanup' EXIT

PURGE_NEEDED=1
if as_root apt-get install -y -q "$DEB" >"$TMP/install.log" 2>&1; then
	ok "apt-get install ./vmplay_${VERSION}_$ARCH.deb (dependencies resolve)"
else
	fail "apt-get install ./vmplay_${VERSION}_$ARCH.deb" "$(tail -n 5 "$TMP/install.log")"
	finish
fi
dpkg -L vmplay | sort >"$TMP/files"

export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config XDG_DATA_HOME=$TMP/home/.local/share
unset XDG_DATA_DIRS
mkdir -p "$HOME"
got=$(/usr/bin/vmplay --version 2>&1)
if [ "$got" = "vmplay $VERSION" ]; then
	ok "/usr/bin/vmplay --version: $got"
else
	fail "/usr/bin/vmplay --version says vmplay $VERSION" "got '$got'"
fi
check "man vmplay names the version" eval \
	"man -P cat vmplay 2>/dev/null | grep -q 'vmplay $VERSION'"
check "/usr/bin/vmplay check" /usr/bin/vmplay check
DEMO=/usr/share/doc/vmplay/examples/demo.vmplay
if /usr/bin/vmplay --dry-run "$DEMO" >"$TMP/dry.out" 2>"$TMP/dry.err" &&
	grep -q 'qemu-system-x86_64 .*memtest86+x64.iso' "$TMP/dry.out"; then
	ok "/usr/bin/vmplay --dry-run on the demo example"
else
	fail "/usr/bin/vmplay --dry-run $DEMO" "$(head -c 300 "$TMP/dry.out" "$TMP/dry.err")"
fi
got=$(xdg-mime query default application/x-vmplay 2>&1)
if [ "$got" = vmplay.desktop ]; then
	ok "xdg-mime query default application/x-vmplay: $got"
else
	fail "xdg-mime query default application/x-vmplay" "got '$got'"
fi
cp "$DEMO" "$TMP/mine.vmplay"
if command -v gio >/dev/null; then
	got=$(XDG_CURRENT_DESKTOP=GNOME xdg-mime query filetype "$TMP/mine.vmplay" 2>&1)
	[ "$got" = application/x-vmplay ] && ok "a .vmplay file is application/x-vmplay" ||
		fail "a .vmplay file is application/x-vmplay" "got '$got'"
fi
check "appstreamcli validate --no-net (installed metainfo)" \
	appstreamcli validate --no-net /usr/share/metainfo/io.github.vmplay.vmplay.metainfo.xml
check "desktop-file-validate (installed desktop entry)" \
	desktop-file-validate /usr/share/applications/vmplay.desktop
if [ -r /usr/share/bash-completion/bash_completion ]; then
	got=$(bash --norc --noprofile -c '. /usr/share/bash-completion/bash_completion
		_completion_loader vmplay; complete -p vmplay' 2>&1)
	[ "$got" = "complete -F _vmplay vmplay" ] && ok "bash finds the completion: $got" ||
		fail "bash finds the completion" "got '$got'"
fi
if command -v systemd-analyze >/dev/null; then
	check "systemd-analyze verify: the example kiosk unit" \
		systemd-analyze verify /usr/share/doc/vmplay/examples/vmplay-kiosk.service
fi

# ---- purge ----
if purge; then
	ok "apt-get purge vmplay"
else
	fail "apt-get purge vmplay" "$(tail -n 5 "$TMP/purge.log")"
fi
left=
while IFS= read -r f; do
	[ -d "$f" ] && continue
	[ -e "$f" ] || [ -L "$f" ] && left="$left $f"
done <"$TMP/files"
if [ -z "$left" ]; then ok "none of its files is left"; else fail "none of its files is left" "$left"; fi
check "dpkg forgot it (no status, no /var/lib/dpkg/info/vmplay.*)" eval \
	"! dpkg -s vmplay >/dev/null 2>&1 && ! ls /var/lib/dpkg/info/vmplay.* >/dev/null 2>&1"
check "no folder of its own is left" eval \
	"! test -e /usr/share/doc/vmplay && ! test -e /etc/vmplay"
traces=$(grep -ls vmplay /usr/share/applications/mimeinfo.cache /usr/share/mime/globs \
	/usr/share/mime/globs2 /usr/share/mime/types /usr/share/mime/mime.cache 2>/dev/null)
if [ -z "$traces" ]; then
	ok "the desktop's MIME and application caches no longer name vmplay"
else
	fail "the desktop's MIME and application caches no longer name vmplay" "$traces"
fi
check "/usr/bin/vmplay is gone" eval "! test -e /usr/bin/vmplay"
finish
