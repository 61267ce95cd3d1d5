#!/bin/bash
# make install / uninstall: a staged install (DESTDIR, PREFIX=/usr) puts
# every file in place and passes desktop-file-validate; uninstall leaves no
# file. A live install into a test prefix refreshes the desktop caches, so
# that with XDG_DATA_HOME pointing there the file type of x.vmplay is
# application/x-vmplay and vmplay's desktop entry is its default
# application; uninstalling refreshes them again and leaves nothing of
# vmplay.
. "$(dirname "$0")/lib.sh"

mk() { make --no-print-directory -C "$E2E_ROOT" BUILD="$BUILD" "$@"; }

FILES="bin/vmplay
share/applications/vmplay.desktop
share/mime/packages/vmplay.xml
share/icons/hicolor/scalable/apps/vmplay.svg
share/icons/hicolor/scalable/mimetypes/application-x-vmplay.svg
share/man/man1/vmplay.1
share/man/man5/vmplay.5
share/doc/vmplay/examples/example.vmplay
share/doc/vmplay/examples/kiosk.vmplay
share/bash-completion/completions/vmplay
share/zsh/vendor-completions/_vmplay
share/metainfo/io.github.vmplay.vmplay.metainfo.xml"
# every translation in po/LINGUAS
for lang in $(sed 's/#.*//' "$E2E_ROOT/po/LINGUAS"); do
	FILES="$FILES
share/locale/$lang/LC_MESSAGES/vmplay.mo"
done
# every translated man page (assets/LANG/vmplay.1 and vmplay.5)
MAN_LANGS=$(cd "$E2E_ROOT/assets" && for f in */vmplay.1; do [ -e "$f" ] && dirname "$f"; done)
for lang in $MAN_LANGS; do
	FILES="$FILES
share/man/$lang/man1/vmplay.1
share/man/$lang/man5/vmplay.5"
done

# ---- staged: DESTDIR ----
DEST=$TMP/dest
if mk install DESTDIR="$DEST" PREFIX=/usr >"$TMP/install.log" 2>&1; then
	ok "make install DESTDIR=... PREFIX=/usr"
else
	fail "make install DESTDIR=... PREFIX=/usr" "$(tail -n 3 "$TMP/install.log")"
fi
missing=
for f in $FILES; do
	[ -s "$DEST/usr/$f" ] || missing="$missing $f"
done
if [ -z "$missing" ]; then ok "every file installed"; else fail "every file installed" "missing:$missing"; fi
check "the binary is executable and runs" "$DEST/usr/bin/vmplay" --version
check "desktop-file-validate passes" \
	desktop-file-validate "$DEST/usr/share/applications/vmplay.desktop"
# shared-mime-info's own check of the package (update-mime-database -n
# refuses invalid XML) into a scratch copy
mkdir -p "$TMP/mimecheck/packages"
cp "$DEST/usr/share/mime/packages/vmplay.xml" "$TMP/mimecheck/packages/"
check "the MIME package is valid" update-mime-database "$TMP/mimecheck"
extra=$(cd "$DEST/usr" && find . -type f | sed 's|^\./||' | grep -vxF "$FILES")
if [ -z "$extra" ]; then
	ok "a staged install writes no cache files"
else
	fail "a staged install writes no cache files" "$extra"
fi
if mk uninstall DESTDIR="$DEST" PREFIX=/usr >"$TMP/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR=..."
else
	fail "make uninstall DESTDIR=..." "$(tail -n 3 "$TMP/uninstall.log")"
fi
left=$(find "$DEST" -type f -o -type l)
if [ -z "$left" ]; then ok "uninstall leaves no file"; else fail "uninstall leaves no file" "$left"; fi

# ---- live: a test prefix the desktop tools are pointed at ----
PFX=$TMP/prefix
export XDG_DATA_HOME=$PFX/share XDG_DATA_DIRS=$PFX/share:/usr/share
export XDG_CONFIG_HOME=$TMP/config HOME=$TMP/home
# GLib ignores a desktop entry whose program is not in PATH
export PATH=$PFX/bin:$PATH
mkdir -p "$XDG_CONFIG_HOME" "$HOME"
check "make install PREFIX=test prefix" mk install PREFIX="$PFX"
check "the MIME cache was refreshed" test -s "$PFX/share/mime/mime.cache"
check "the desktop cache was refreshed" \
	grep -q 'application/x-vmplay=vmplay.desktop' "$PFX/share/applications/mimeinfo.cache"
check "the icon cache was refreshed" test -s "$PFX/share/icons/hicolor/icon-theme.cache"
printf '[vm]\nmemory = 64M\n' >"$TMP/x.vmplay"

# xdg-mime asks the desktop's own tool: gio on GNOME-like desktops; the
# generic path needs File::MimeInfo's mimetype (else it falls back to
# file(1), which knows no shared-mime-info types).
filetype() { xdg-mime query filetype "$TMP/x.vmplay" 2>/dev/null; }
if command -v gio >/dev/null; then
	got=$(XDG_CURRENT_DESKTOP=GNOME filetype)
	if [ "$got" = application/x-vmplay ]; then
		ok "xdg-mime query filetype x.vmplay (gio): application/x-vmplay"
	else
		fail "xdg-mime query filetype x.vmplay (gio)" "got '$got'"
	fi
else
	skip "xdg-mime filetype through gio" "gio (libglib2.0-bin) missing"
fi
if command -v mimetype >/dev/null; then
	got=$(filetype)
	[ "$got" = application/x-vmplay ] && ok "xdg-mime query filetype (generic)" ||
		fail "xdg-mime query filetype (generic)" "got '$got'"
else
	skip "xdg-mime filetype, generic desktop" "mimetype (libfile-mimeinfo-perl) missing"
fi
got=$(xdg-mime query default application/x-vmplay 2>/dev/null)
if [ "$got" = vmplay.desktop ]; then
	ok "the default application is vmplay.desktop"
else
	fail "the default application is vmplay.desktop" "got '$got'"
fi
if command -v gio >/dev/null; then
	got=$(gio mime application/x-vmplay 2>/dev/null | head -n 1)
	if grep -q ': vmplay.desktop$' <<<"$got"; then
		ok "gio's default application is vmplay.desktop"
	else
		fail "gio's default application is vmplay.desktop" "$got"
	fi
fi
if command -v man >/dev/null; then
	check "man vmplay and man 5 vmplay render" eval \
		"MANPATH='$PFX/share/man' man -P cat vmplay 2>/dev/null | grep -q vmplay &&
		 MANPATH='$PFX/share/man' man -P cat 5 vmplay 2>/dev/null | grep -q vmplay"
	# man -L picks the translated page as LANG would; its first heading in
	# its own language (NOMBRE for es) shows that it is the one shown
	for lang in $MAN_LANGS; do
		for sect in 1 5; do
			heading=$(sed -n '/^\.SH /{s/^\.SH *//;s/"//g;p;q}' "$E2E_ROOT/assets/$lang/vmplay.$sect")
			check "man -L $lang $sect vmplay shows the $lang page ($heading)" eval \
				"MANPATH='$PFX/share/man' LC_ALL=C.UTF-8 man -L $lang -P cat $sect vmplay 2>/dev/null | grep -qx '$heading'"
		done
	done
fi

check "make uninstall PREFIX=test prefix" mk uninstall PREFIX="$PFX"
left=$(find "$PFX" \( -type f -o -type l \) -name '*vmplay*')
if [ -z "$left" ]; then ok "uninstall leaves no vmplay file"; else fail "uninstall leaves no vmplay file" "$left"; fi
if command -v gio >/dev/null; then
	got=$(XDG_CURRENT_DESKTOP=GNOME filetype)
	if [ "$got" != application/x-vmplay ]; then
		ok "after uninstall the type is gone from the caches ($got)"
	else
		fail "after uninstall the type is gone from the caches"
	fi
fi
if grep -qs vmplay "$PFX/share/applications/mimeinfo.cache"; then
	fail "after uninstall the desktop cache does not name vmplay"
else
	ok "after uninstall the desktop cache does not name vmplay"
fi
finish
