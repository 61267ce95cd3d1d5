#!/bin/bash
# The player window with Debian's GRUB rescue CD under Xvfb (SDL's x11
# driver, real QEMU): the window's pixels equal QEMU's screendump at 1:1,
# text typed with xdotool appears at GRUB's command line, the menu keeps
# keys from the guest, the pause shortcut shows in query-status and the
# title follows pauses made elsewhere, and the guest powering off (GRUB's
# "halt") ends vmplay with status 0 and no QEMU left.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "player with GRUB" "$missing missing"
	finish
fi
[ -f "$GRUB_ISO" ] || { skip "player with GRUB" "$GRUB_ISO missing (grub-rescue-pc)"; finish; }
start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11

QMP=$TMP/test.qmp
grub_vm "$TMP/grub.vmplay" grubtest "$QMP"
spawn vmplay "$VMPLAY" --trust --exit-on-poweroff "$TMP/grub.vmplay"
VPID=$SPAWNED_PID

if find_window '^grubtest: running$' 60; then
	ok "window titled 'grubtest: running'"
else
	fail "window titled 'grubtest: running'" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
xdotool windowfocus --sync "$WIN" 2>/dev/null

if wait_for 60 vga_has "$QMP" "GNU GRUB"; then
	ok "GRUB's menu is up"
else
	fail "GRUB's menu is up"
fi
check "window pixels equal the screendump (GRUB menu, 1:1)" same_picture "$QMP"

# 'c' opens GRUB's command line; the typed command's output shows it arrived
xdotool key c
if wait_for 20 vga_has "$QMP" "grub>"; then
	ok "key 'c' opens GRUB's command line"
else
	fail "key 'c' opens GRUB's command line" "$(vga_text "$QMP" | tail -n 3)"
fi
xdotool type --delay 60 "echo vmplay-typed 42"
xdotool key Return
if wait_for 20 eval "vga_text '$QMP' | grep -qx 'vmplay-typed 42'"; then
	ok "typed text appears at GRUB's command line"
else
	fail "typed text appears at GRUB's command line" "$(vga_text "$QMP" | grep -v '^$' | tail -n 3)"
fi
check "window pixels equal the screendump (command line)" same_picture "$QMP"

# the menu (overlay.c) is drawn over the guest and keeps keys from it
xdotool key ctrl+alt+m
menu_shown() {
	capture "$TMP/menu.ppm" && qmp "$QMP" screendump "$TMP/guest.ppm" &&
		! compare -metric AE "$TMP/menu.ppm" "$TMP/guest.ppm" null: 2>/dev/null
}
check "ctrl+alt+m draws the menu over the guest" wait_for 10 menu_shown
xdotool type --delay 60 "zq"
xdotool key Escape
sleep 1
if vga_text "$QMP" | grep -q 'zq'; then
	fail "keys typed in the menu do not reach the guest"
else
	ok "keys typed in the menu do not reach the guest"
fi
check "Esc closes the menu: window equals the screendump again" same_picture "$QMP"

# pause and resume by shortcut
xdotool key ctrl+alt+p
if wait_for 10 eval "[ \"\$(qmp '$QMP' query-status)\" = paused ]"; then
	ok "ctrl+alt+p pauses (query-status)"
else
	fail "ctrl+alt+p pauses (query-status)" "$(qmp "$QMP" query-status)"
fi
check "title says paused" wait_for 10 title_is "grubtest: paused"
xdotool key ctrl+alt+p
if wait_for 10 eval "[ \"\$(qmp '$QMP' query-status)\" = running ]"; then
	ok "ctrl+alt+p resumes (query-status)"
else
	fail "ctrl+alt+p resumes (query-status)" "$(qmp "$QMP" query-status)"
fi
check "title says running" wait_for 10 title_is "grubtest: running"
# the state follows QEMU also when something else pauses the VM
qmp "$QMP" raw '{"execute": "stop"}' >/dev/null
check "stopped from another monitor: title says paused" wait_for 10 title_is "grubtest: paused"
qmp "$QMP" raw '{"execute": "cont"}' >/dev/null
check "continued from another monitor: title says running" wait_for 10 title_is "grubtest: running"

# the guest powers off: vmplay ends with 0, QEMU is gone
QPID=$(qemu_of "$VPID")
xdotool type --delay 60 "halt"
xdotool key Return
if wait_exit "$VPID" 60 && [ "$EXIT_STATUS" = 0 ]; then
	ok "--exit-on-poweroff: guest power-off ends vmplay with status 0"
else
	fail "--exit-on-poweroff: guest power-off ends vmplay with status 0" "status ${EXIT_STATUS:-still running}; $(tail -n 3 "$TMP/vmplay.log")"
fi
if [ -n "$QPID" ] && wait_for 10 eval "! alive $QPID"; then
	ok "no QEMU left"
else
	fail "no QEMU left" "qemu pid '${QPID}'"
fi
finish
