#!/bin/bash
# The menu and shortcuts in the real player window under Xvfb (SDL's x11
# driver, real QEMU with the test guest):
#   - shortcuts from the user file (XDG_CONFIG_HOME) and the VM's [keys]
#     take effect, a disabled one reaches the guest instead;
#   - the menu opens by shortcut and is drawn over the guest; keys typed
#     while it is open do not reach the guest (its status area / serial);
#     Esc closes it and the window equals the screendump again;
#   - a menu item (Pause) is carried out (query-status); an ISO typed into
#     Media > Insert ISO is inserted (query-block, the VM file), Eject too;
#     Disks > Create makes the disk and adds its section to the VM file;
#   - a snapshot by shortcut on a qcow2 VM shows in "info snapshots" and,
#     after the guest powered off, in qemu-img snapshot -l;
#   - the screenshot shortcut writes a PNG equal to QEMU's screendump.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "menu under X" "$missing missing"
	finish
fi
start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11
export XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
mkdir -p "$XDG_CONFIG_HOME/vmplay" "$TMP/pics"
echo "XDG_PICTURES_DIR=\"$TMP/pics\"" >"$XDG_CONFIG_HOME/user-dirs.dirs"
cat >"$XDG_CONFIG_HOME/vmplay/vmplay.ini" <<EOF
; the user's own shortcuts
[keys]
menu = ctrl+alt+j
EOF

QMP=$TMP/test.qmp
SERIAL=$TMP/serial.log
: >"$SERIAL"
qemu-img create -q -f qcow2 "$TMP/system.qcow2" 64M
cat >"$TMP/menu.vmplay" <<EOF
[vm]
name = menutest
memory = 64M
machine = pc
; TCG always in tests: /dev/kvm may exist but misbehave
accel = tcg

[disk.system]
file = system.qcow2

[cdrom]
file =

[boot]
kernel = $(guest_kernel)

[network]
mode = none

[audio]
backend = none
device = none

[keys]
snapshot = ctrl+alt+n
; no modifiers: nothing reaches the guest, whose status area stays
screenshot = f10
quit = none

[qemu]
args = -qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL
EOF

cp "$TMP/menu.vmplay" "$TMP/menu.orig"
spawn vmplay "$VMPLAY" --trust --exit-on-poweroff "$TMP/menu.vmplay"
VPID=$SPAWNED_PID
if find_window '^menutest: running$' 60; then
	ok "window titled 'menutest: running'"
else
	fail "window titled 'menutest: running'" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
wait_line 60 "$SERIAL" '^ready ' && ok "guest is up" || fail "guest is up"
xdotool windowfocus --sync "$WIN" 2>/dev/null
check "window equals the screendump" same_picture "$QMP"

keys() { grep -c '^key ' "$SERIAL"; }
# last_keys N: the last N key bytes the guest got, space-separated.
last_keys() { grep '^key ' "$SERIAL" | tail -n "$1" | cut -d' ' -f2 | tr '\n' ' '; }
# settle: no new key byte for a second.
settle() {
	local a b
	for _ in $(seq 20); do
		a=$(keys); sleep 1; b=$(keys)
		[ "$a" = "$b" ] && return 0
	done
	return 1
}

# The default menu shortcut was moved by the user file: ctrl+alt+m is the
# guest's (m = 32).
xdotool key ctrl+alt+m
if wait_line 20 "$SERIAL" '^key b2$'; then
	ok "ctrl+alt+m reaches the guest (the user file moved the menu)"
else
	fail "ctrl+alt+m reaches the guest" "$(last_keys 6)"
fi
settle

# Open the menu with the user's shortcut.
xdotool key ctrl+alt+j
menu_shown() {
	qmp "$QMP" screendump "$TMP/ref.ppm" >/dev/null 2>&1 &&
		capture "$TMP/menu.ppm" &&
		! ppm compare "$TMP/menu.ppm" "$TMP/ref.ppm" --max-diff 20000 >/dev/null
}
if wait_for 20 menu_shown; then
	ok "ctrl+alt+j opens the menu: the window shows a panel over the guest"
else
	fail "ctrl+alt+j opens the menu" "$(ppm compare "$TMP/menu.ppm" "$TMP/ref.ppm" | head -n 1)"
fi
cp "$TMP/menu.ppm" "${MENU_CAPTURE:-$TMP/menu-open.ppm}" 2>/dev/null
settle
before=$(keys)
# Letters and digits do nothing on the main page (Space or Enter would
# choose an item).
xdotool type --delay 50 "xyz123"
xdotool key Down Down Up Up
sleep 2
check "the VM kept running meanwhile" test "$(qmp "$QMP" query-status)" = running
check "keys typed while the menu is open do not reach the guest" \
	test "$(keys)" = "$before"
xdotool key Escape
check "Esc closes the menu (window equals the screendump)" same_picture "$QMP"
xdotool key 2
wait_line 30 "$SERIAL" '^mode 800x600$' && ok "keys reach the guest again after closing" ||
	fail "keys reach the guest again after closing" "$(tail -n 3 "$SERIAL")"

# A menu item: Pause is the first one.
xdotool key ctrl+alt+j
sleep 1
xdotool key Return
if wait_for 15 eval "[ \"\$(qmp '$QMP' query-status)\" = paused ]"; then
	ok "the menu's Pause item pauses the VM"
else
	fail "the menu's Pause item pauses the VM" "$(qmp "$QMP" query-status)"
fi
xdotool key ctrl+alt+p
wait_for 15 eval "[ \"\$(qmp '$QMP' query-status)\" = running ]" &&
	ok "ctrl+alt+p resumes" || fail "ctrl+alt+p resumes"
settle

# Media from the menu: Media is the sixth item of the main page.
cd_file() {
	qmp "$QMP" raw '{"execute":"query-block"}' | python3 -c '
import json, sys
for b in json.load(sys.stdin):
    if b.get("qdev") == "cdrom0":
        print(b.get("inserted", {}).get("file", "empty"))'
}
media_page() { menu_item ctrl+alt+j 5; }
media_page
xdotool key Return   # Insert ISO…: a path field
sleep 0.5
xdotool type --delay 20 "$GRUB_ISO"
xdotool key Return
if wait_for 20 eval '[ "$(cd_file)" = "$GRUB_ISO" ]'; then
	ok "an ISO typed into Media > Insert ISO shows in query-block"
else
	fail "ISO inserted from the menu" "$(cd_file); $(tail -n 2 "$TMP/vmplay.log")"
fi
check "the VM file's [cdrom] file names it" grep -qx "file = $GRUB_ISO" "$TMP/menu.vmplay"
media_page
xdotool key Down Return   # Eject
if wait_for 20 eval '[ "$(cd_file)" = empty ]'; then
	ok "Media > Eject empties the drive (query-block)"
else
	fail "Media > Eject" "$(cd_file); $(tail -n 2 "$TMP/vmplay.log")"
fi
settle

# Disks from the menu: Disks is the seventh item; its last one (End) is
# "Create and attach a disk…" with Name and Size fields and the format
# (qcow2 first).
xdotool key ctrl+alt+j
sleep 0.5
xdotool key Down Down Down Down Down Down Return
sleep 1
xdotool key End Return
sleep 0.5
# The fields come filled in with suggestions: ctrl+u clears them.
xdotool key ctrl+u
xdotool type --delay 20 data
xdotool key Down ctrl+u
xdotool type --delay 20 32M
xdotool key Return
if wait_for 20 test -f "$TMP/data.qcow2"; then
	ok "Disks > Create made data.qcow2"
	info=$(qemu-img info -U --output=json "$TMP/data.qcow2")
	check "it is a qcow2 of 32M" test \
		"$(json_get "$info" format) $(json_get "$info" virtual-size)" = "qcow2 33554432"
else
	fail "Disks > Create made data.qcow2" "$(tail -n 2 "$TMP/vmplay.log")"
fi
# The [cdrom] file line is as it was (insert, then eject: empty again) and
# the new section came at the end; every other line is kept.
check "the VM file kept every other line and gained [disk.data]" test \
	"$(diff "$TMP/menu.orig" "$TMP/menu.vmplay" | grep '^[<>]' | tr '\n' '|')" = \
	"> |> [disk.data]|> file = data.qcow2|> format = qcow2|> interface = virtio|"
settle

# The VM file moved the snapshot shortcut: ctrl+alt+s is the guest's (s = 1f).
xdotool key ctrl+alt+s
wait_line 20 "$SERIAL" '^key 9f$' && ok "ctrl+alt+s reaches the guest ([keys] moved snapshot)" ||
	fail "ctrl+alt+s reaches the guest" "$(last_keys 6)"
# quit = none: ctrl+alt+q reaches the guest (q = 10) and nothing asks.
xdotool key ctrl+alt+q
wait_line 20 "$SERIAL" '^key 90$' && ok "ctrl+alt+q reaches the guest (quit = none)" ||
	fail "ctrl+alt+q reaches the guest" "$(last_keys 6)"
settle
check "no quit dialog: window equals the screendump" same_picture "$QMP"

# Snapshot by shortcut.
xdotool key ctrl+alt+n
snap_listed() { qmp "$QMP" hmp "info snapshots" | grep -qE '[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} '; }
if wait_for 60 snap_listed; then
	ok "ctrl+alt+n took a snapshot (info snapshots)"
else
	fail "ctrl+alt+n took a snapshot" "$(qmp "$QMP" hmp "info snapshots")"
fi
if wait_line 20 "$TMP/vmplay.log" 'Snapshot [0-9-]+ [0-9:]+ taken in [0-9.]+ s'; then
	ok "the toast text says it was taken and how long it took"
else
	fail "toast text" "$(tail -n 3 "$TMP/vmplay.log")"
fi

# Screenshot by shortcut (F10 here): a PNG of the guest screen at its own
# resolution, equal to QEMU's screendump.
settle
xdotool key F10
if wait_for 20 eval 'ls "$TMP/pics"/menutest-*.png >/dev/null 2>&1'; then
	ok "F10 ([keys] screenshot) wrote a PNG into the pictures folder"
	png=$(ls "$TMP/pics"/menutest-*.png | head -n 1)
	qmp "$QMP" screendump "$TMP/shot-ref.ppm"
	check "screenshot PNG equals QEMU's screendump (800x600)" \
		ppm compare "$png" "$TMP/shot-ref.ppm"
	check "screenshot is 800x600" test "$(ppm size "$png")" = 800x600
else
	fail "F10 wrote a screenshot" "$(ls "$TMP/pics"; tail -n 3 "$TMP/vmplay.log")"
fi

# The guest powers off: vmplay ends with 0; the snapshot is on the disk.
xdotool key p
if wait_exit "$VPID" 60 && [ "$EXIT_STATUS" = 0 ]; then
	ok "--exit-on-poweroff: guest power-off ends vmplay with status 0"
else
	fail "guest power-off ends vmplay" "status ${EXIT_STATUS:-still running}"
fi
if qemu-img snapshot -l "$TMP/system.qcow2" | grep -qE '^[0-9]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2} '; then
	ok "qemu-img snapshot -l lists the shortcut's snapshot"
else
	fail "qemu-img snapshot -l" "$(qemu-img snapshot -l "$TMP/system.qcow2")"
fi

finish
