#!/bin/bash
# The player with memtest86+ (Debian's memtest86+ package), a real guest
# whose screen changes all the time: the window keeps following it; a pause
# made through another QMP monitor shows in the title and freezes a picture
# equal to QEMU's screendump; resuming brings the updates back; closing the
# window twice (memtest ignores the ACPI button) ends vmplay with no QEMU.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

MEMTEST_ISO=/usr/lib/memtest86+/memtest86+x64.iso
if missing=$(have_tools); then :; else
	skip "player with memtest86+" "$missing missing"
	finish
fi
[ -f "$MEMTEST_ISO" ] || { skip "player with memtest86+" "$MEMTEST_ISO missing (memtest86+)"; finish; }
start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11

QMP=$TMP/test.qmp
cat >"$TMP/memtest.vmplay" <<EOV
[vm]
name = memtest
memory = 256M
machine = pc
accel = tcg

[cdrom]
file = $MEMTEST_ISO

[boot]
order = d

[network]
mode = none

[audio]
backend = none
device = none

[qemu]
args = -qmp unix:$QMP,server=on,wait=off
EOV
spawn vmplay "$VMPLAY" --trust "$TMP/memtest.vmplay"
VPID=$SPAWNED_PID

if find_window '^memtest: running$' 60; then
	ok "window titled 'memtest: running'"
else
	fail "window titled 'memtest: running'" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
if wait_for 90 vga_has "$QMP" "Memtest86+"; then
	ok "memtest86+ is up"
else
	fail "memtest86+ is up" "$(vga_text "$QMP" | grep -v '^$' | head -n 3)"
fi

# two window captures a few seconds apart differ: the player keeps up with
# a guest that never stops drawing (its progress bars and clock)
window_changes() {
	capture "$TMP/a.ppm" && sleep 3 && capture "$TMP/b.ppm" &&
		! compare -metric AE "$TMP/a.ppm" "$TMP/b.ppm" null: 2>/dev/null
}
check "the window follows memtest's changing screen" wait_for 30 window_changes

qmp "$QMP" raw '{"execute":"stop"}' >/dev/null
check "a pause made elsewhere shows in the title" \
	wait_for 10 title_is "memtest: paused"
# paused, the window shows the guest's frame dimmed under "Paused: ..."
# (issue 16): its top rows (above the note) darker than QEMU's own
# picture of the same screen
dimmed() {
	qmp "$QMP" screendump "$TMP/ref.ppm" >/dev/null 2>&1 &&
		capture "$TMP/win.ppm" || return 1
	local w r
	w=$(convert "$TMP/win.ppm" -crop 100%x15%+0+0 -colorspace gray -format '%[fx:mean]' info:)
	r=$(convert "$TMP/ref.ppm" -crop 100%x15%+0+0 -colorspace gray -format '%[fx:mean]' info:)
	echo "window $w, screendump $r"
	awk -v w="$w" -v r="$r" 'BEGIN { exit !(w < r * 0.8) }'
}
check "paused: the window shows the frame dimmed" wait_for 10 dimmed
check "paused: the picture stays still" eval '! window_changes'

qmp "$QMP" raw '{"execute":"cont"}' >/dev/null
check "resumed: the title says running" wait_for 10 title_is "memtest: running"
check "resumed: the window follows the screen again" wait_for 30 window_changes

QPID=$(qemu_of "$VPID")
"$XCLOSE" "$WIN"
sleep 1
check "first close: QEMU still runs (memtest ignores ACPI)" alive "$QPID"
"$XCLOSE" "$WIN"
if wait_exit "$VPID" 30; then
	ok "second close ends vmplay (status $EXIT_STATUS)"
else
	fail "second close ends vmplay" "still running"
fi
check "no QEMU left" wait_for 15 eval "! alive $QPID"
finish
