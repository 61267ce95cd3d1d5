#!/bin/bash
# A double-clicked VM whose disk image is missing but whose VM file gives
# it a size (issue 16 item 14): a window asks, with the size and format,
# and Enter creates the empty image and plays the VM; Esc creates nothing
# and ends with the error naming the command.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

have_tools || finish
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
start_wm; [ $? = 2 ] && { skip "missing disk" "openbox is not installed"; finish; }
export SDL_VIDEODRIVER=x11 VMPLAY_MESSAGE_BOX=1 VMPLAY_POWERDOWN_TIMEOUT=1
export XDG_STATE_HOME=$TMP/state

# The box is made hidden, then shown: wait until it is, before typing.
viewable() { xwininfo -id "$WIN" 2>/dev/null | grep -q 'IsViewable'; }
ask_window() {
	local i
	for ((i = 0; i < 30; i++)); do
		find_window "disk 'system' is missing" 10 && viewable && sleep 0.5 && return 0
		sleep 1
	done
	return 1
}

guest_vmfile lost
printf '\n[disk.system]\nfile = lost-system.qcow2\nsize = 64M\n' >>"$VMFILE"

# Esc: nothing made, the error says what to run.
VMPLAY_DEBUG=1 spawn esc "$VMPLAY" --trust "$VMFILE"
VPID=$SPAWNED_PID
if ask_window; then
	ok "a window asks about the missing disk"
	capture "$TMP/ask.png" 2>/dev/null
	[ -n "${SHOT_DIR:-}" ] && convert "$TMP/ask.png" "$SHOT_DIR/missing-disk-ask.png"
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key Escape
	check "Esc: the question is answered no" wait_line 10 "$TMP/esc.log" 'message window closed: no'
	find_window "cannot play lost" 20 && xdotool key --window "$WIN" Return
	wait_exit "$VPID" 30
	check "  ... vmplay ends with status 1" test "${EXIT_STATUS:-x}" = 1
	check "  ... no image was made" test ! -e "$TMP/lost-system.qcow2"
	check "  ... the error names the command" grep -q "create it with \`vmplay disk create" "$TMP/esc.log"
else
	fail "a window asks about the missing disk" "$(tail -n 5 "$TMP/esc.log")"
fi

# Enter: the image is made (64M qcow2) and the VM plays.
VMPLAY_DEBUG=1 spawn enter "$VMPLAY" --trust "$VMFILE"
VPID=$SPAWNED_PID
if ask_window; then
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key Return
	check "Enter: the VM plays" find_window "^lost: running" 60
	check "  ... with a 64M qcow2 image made" \
		test "$(img_field "$TMP/lost-system.qcow2" format) $(img_field "$TMP/lost-system.qcow2" virtual-size)" = "qcow2 67108864"
	kill -TERM "$VPID"; wait_exit "$VPID" 30
else
	fail "the question comes again" "$(tail -n 5 "$TMP/enter.log")"
fi
finish
