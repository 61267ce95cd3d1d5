#!/bin/bash
# What software centres and desktops read about vmplay, and its version:
# - the AppStream metainfo passes appstreamcli validate --no-net, alone and
#   with the desktop entry in a staged `make install` (validate-tree);
#   desktop-file-validate passes;
# - the metainfo, the desktop entry and the MIME package name the same
#   file type; the metainfo provides the program;
# - the version has one home: debian/changelog's newest entry is the
#   metainfo's newest release and NEWS.md's newest section, the installed
#   man pages name it, and a build from git says it (or git describe);
# - every <screenshot> is a picture in assets/screenshots/, and the
#   pictures are taken from the real window (tests/screenshots/take.sh):
#   the player shows the guest, the menu shot differs from it.
. "$(dirname "$0")/lib.sh"

META=$E2E_ROOT/assets/io.github.vmplay.vmplay.metainfo.xml
command -v appstreamcli >/dev/null || { skip "metainfo" "appstreamcli (appstream) missing"; finish; }
check "appstreamcli validate --no-net" appstreamcli validate --no-net "$META"
check "desktop-file-validate assets/vmplay.desktop" \
	desktop-file-validate "$E2E_ROOT/assets/vmplay.desktop"
DEST=$TMP/dest
if make --no-print-directory -C "$E2E_ROOT" BUILD="$BUILD" install DESTDIR="$DEST" \
	PREFIX=/usr >"$TMP/install.log" 2>&1; then
	check "appstreamcli validate-tree --no-net (a staged make install)" \
		appstreamcli validate-tree --no-net "$DEST"
else
	fail "make install DESTDIR=..." "$(tail -n 3 "$TMP/install.log")"
fi

# xml FILE XPATH: the text of the nodes (python's ElementTree, no namespaces)
xml() {
	python3 - "$@" <<'PY'
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for e in root.findall(sys.argv[2]):
    print(e.text.strip() if e.text else e.attrib.get("version", ""))
PY
}
mime=$(xml "$META" './provides/mediatype')
check "the metainfo provides the binary vmplay" eval "[ \"\$(xml '$META' ./provides/binary)\" = vmplay ]"
check "the metainfo's file type is the desktop entry's ($mime)" \
	grep -qx "MimeType=$mime;" "$E2E_ROOT/assets/vmplay.desktop"
check "the metainfo's file type is the MIME package's" \
	grep -q "mime-type type=\"$mime\"" "$E2E_ROOT/assets/vmplay-mime.xml"
launch=$(xml "$META" "./launchable[@type='desktop-id']")
check "the launchable ($launch) is the installed desktop entry" \
	test -f "$DEST/usr/share/applications/$launch"

# ---- one version ----
version=$(sed -n '1s/^vmplay (\([^)]*\)).*/\1/p' "$E2E_ROOT/debian/changelog")
release=$(python3 - "$META" <<'PY'
import sys, xml.etree.ElementTree as ET
r = ET.parse(sys.argv[1]).getroot().find("./releases/release")
print(r.get("version") if r is not None else "")
PY
)
news=$(sed -n 's/^## \([^ ]*\).*/\1/p' "$E2E_ROOT/NEWS.md" | head -n 1)
if [ -n "$version" ] && [ "$release" = "$version" ] && [ "$news" = "$version" ]; then
	ok "changelog, metainfo and NEWS.md name the same release ($version)"
else
	fail "changelog, metainfo and NEWS.md name the same release" \
		"changelog '$version', metainfo '$release', NEWS.md '$news'"
fi
check "the installed man pages name the version" eval \
	"head -n 1 '$DEST/usr/share/man/man1/vmplay.1' | grep -q '\"vmplay [0-9]' &&
	 head -n 1 '$DEST/usr/share/man/man5/vmplay.5' | grep -q '\"vmplay [0-9]'"
built=$("$DEST/usr/bin/vmplay" --version)
want=$(make --no-print-directory -s -C "$E2E_ROOT" version)
if [ "$built" = "vmplay $want" ] && [[ $want == "$version"* || $want =~ -g[0-9a-f]+ ]]; then
	ok "vmplay --version: $built (make version: $want)"
else
	fail "vmplay --version says what make version says" "'$built' vs '$want' (changelog $version)"
fi
# (the header main.c prints from, and a man page, without compiling it all
# again; the package test sees the program say its package's version)
check "make VMPLAY_VERSION=... reaches the version header and the man pages" eval \
	"make --no-print-directory -C '$E2E_ROOT' BUILD='$TMP/vbuild' VMPLAY_VERSION=7.7.7-test \
		'$TMP/vbuild/gen/version.h' '$TMP/vbuild/man/vmplay.1' >/dev/null 2>&1 &&
	 grep -q 'VMPLAY_VERSION \"7.7.7-test\"' '$TMP/vbuild/gen/version.h' &&
	 head -n 1 '$TMP/vbuild/man/vmplay.1' | grep -q '\"vmplay 7.7.7-test\"'"

# ---- screenshots ----
shots=$(xml "$META" './screenshots/screenshot/image' | sed 's|.*/assets/screenshots/||')
[ -n "$shots" ] || fail "the metainfo has screenshots"
for png in $shots; do
	f=$E2E_ROOT/assets/screenshots/$png
	size=$(identify -format '%m %w %h' "$f" 2>/dev/null)
	read -r fmt w h <<<"$size"
	if [ "$fmt" = PNG ] && [ "${w:-0}" -ge 620 ] && [ "${h:-0}" -ge 350 ]; then
		ok "screenshot $png is in assets/screenshots ($w x $h)"
	else
		fail "screenshot $png is a PNG of at least 620x350 in assets/screenshots" "'$size'"
	fi
done

SHOT_DIR=$TMP/shots
SCREENSHOT_DIR=$SHOT_DIR "$E2E_ROOT/tests/screenshots/take.sh" >"$TMP/take.log" 2>&1
rc=$?
if grep -q '^skip' "$TMP/take.log" && ! grep -q '^ok' "$TMP/take.log"; then
	skip "screenshots from the real window" "$(grep -m1 '^skip' "$TMP/take.log")"
elif [ $rc = 0 ]; then
	ok "tests/screenshots/take.sh took them: $(grep -c '^ok' "$TMP/take.log") pictures"
	# The guest's screen (GRUB's menu, two colours in text mode): pixels
	# outside the commonest colour are its text; a blank window has none.
	# The menu then covers a good part of it.
	ink=$(convert "$SHOT_DIR/player.png" -format %c histogram:info:- 2>/dev/null |
		sort -rn | awk 'NR > 1 { n += $1 } END { print n + 0 }')
	[ "${ink:-0}" -gt 5000 ] && ok "the player shot shows the guest ($ink text pixels)" ||
		fail "the player shot shows the guest" "${ink:-no} text pixels"
	diff=$(compare -metric AE "$SHOT_DIR/player.png" "$SHOT_DIR/menu.png" null: 2>&1)
	[ "${diff%%.*}" -gt 5000 ] 2>/dev/null && ok "the menu shot shows the menu ($diff pixels differ)" ||
		fail "the menu shot shows the menu" "$diff pixels differ"
	cp "$SHOT_DIR"/*.png "${SAVE_SHOTS:-$TMP}/" 2>/dev/null
else
	fail "tests/screenshots/take.sh" "$(grep -v '^ok' "$TMP/take.log" | tail -n 3)"
fi
finish
