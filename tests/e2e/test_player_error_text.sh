#!/bin/bash
# QEMU's error in the stopped window (issue 16 item 6), at 640x480: two VM
# files share one disk, so the second QEMU fails with a long message (a
# deep path, twice). The message is shown whole (the log's "screen
# message" line holds every word of QEMU's stderr), wrapped inside the
# window (no text pixel in the outer margin), and a message taller than
# the window scrolls with End/Home (the picture changes, then comes back).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

have_tools || finish
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
start_xvfb 640x480x24 || { fail "Xvfb starts"; finish; }
start_wm; rc=$?
[ "$rc" = 2 ] && { skip "error text" "openbox is not installed"; finish; }
export SDL_VIDEODRIVER=x11

DEEP=$TMP/a-folder-with-a-rather-long-name/and-another-one-below-it/and-a-third-level-for-good-measure
mkdir -p "$DEEP"
qemu-img create -q -f qcow2 "$DEEP/shared-system-disk.qcow2" 16M
for n in one two; do
	guest_vm_text "$n" >"$TMP/$n.vmplay"
	printf '\n[disk.system]\nfile = %s\nformat = qcow2\n' \
		"$DEEP/shared-system-disk.qcow2" >>"$TMP/$n.vmplay"
done
spawn one "$VMPLAY" --headless "$TMP/one.vmplay"
wait_line 60 "$TMP/one.log" "running|started|QEMU pid" ||
	wait_for 30 eval "pgrep -f 'guest=one' >/dev/null"
# Many lines, so that it must scroll at 640x480: QEMU's stderr is long.
VMPLAY_DEBUG=1 spawn two "$VMPLAY" "$TMP/two.vmplay"
TWO=$SPAWNED_PID
if find_window "^two: stopped" 60; then
	ok "the second VM stops with QEMU's error in the window"
else
	fail "the second VM stops with QEMU's error" "$(tail -n 5 "$TMP/two.log")"
	finish
fi
msg=$(sed -n '/screen message: QEMU/,$p' "$TMP/two.log")
check "the message is QEMU's lock error" grep -q 'lock' <<<"$msg"
check "  ... whole, to its last line" grep -q 'Is another process using the image' <<<"$msg"
# QEMU opened the disk as an fd set vmplay handed it: its message names
# the file the user knows
check "  ... naming the disk's file, not /dev/fdset/N" \
	eval 'grep -q "shared-system-disk.qcow2" <<<"$msg" && ! grep -q "/dev/fdset" <<<"$msg"'
sleep 1
xdotool windowfocus --sync "$WIN" 2>/dev/null
capture "$TMP/error-top.png"
geom=$(xdotool getwindowgeometry --shell "$WIN")
W=$(sed -n 's/^WIDTH=//p' <<<"$geom") H=$(sed -n 's/^HEIGHT=//p' <<<"$geom")
check "the window fits the 640x480 screen" test "$W" -le 640 -a "$H" -le 480
# No text may touch the window's edges: the 8 outermost columns are black.
edge() {
	convert "$TMP/error-top.png" -crop "8x${H}+$1+0" -format '%[fx:maxima.intensity]' info: 2>/dev/null
}
check "nothing drawn at the left edge (not clipped)" test "$(edge 0)" = 0
check "nothing drawn at the right edge (not clipped)" test "$(edge $((W - 8)))" = 0
img_same() { compare -metric AE "$1" "$2" null: >/dev/null 2>&1; }
# A window too low for it (the user made it small): the message scrolls.
xdotool windowsize --sync "$WIN" 600 170 2>/dev/null || xdotool windowsize "$WIN" 600 170
sleep 1
capture "$TMP/error-small.png"
cp "$TMP/error-small.png" "$TMP/error-top.png"
xdotool key End
sleep 1
capture "$TMP/error-end.png"
xdotool key Home
sleep 1
capture "$TMP/error-home.png"
if ! img_same "$TMP/error-top.png" "$TMP/error-end.png"; then
	ok "End scrolls the long message"
	check "Home scrolls back to the top" img_same "$TMP/error-top.png" "$TMP/error-home.png"
else
	fail "End scrolls the long message" "the picture did not change"
fi
"$XCLOSE" "$WIN" 2>/dev/null || xdotool windowclose "$WIN"
wait_exit "$TWO" 20
check "closing the stopped window ends vmplay with status 1" test "${EXIT_STATUS:-x}" = 1
finish
