#!/bin/bash
# [input] pointer = ps2 (the test guest, Xvfb, real QEMU): a click into the
# window grabs the pointer (title says so) instead of reaching the guest,
# host motion then arrives as relative PS/2 motion of the same size (QEMU's
# input trace), ctrl+alt+g lets go, and motion after that reaches nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "ps2 pointer" "$missing missing"
	finish
fi
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing: run make"; finish; }
start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11

QMP=$TMP/test.qmp
SERIAL=$TMP/serial.log
TRACE=$TMP/trace.log
: >"$SERIAL"
{
	guest_vm_text ps2test "-qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL -trace input_event_rel -trace input_event_btn -D $TRACE"
	printf '\n[input]\npointer = ps2\n'
} >"$TMP/ps2.vmplay"
spawn vmplay "$VMPLAY" --trust --exit-on-poweroff "$TMP/ps2.vmplay"
VPID=$SPAWNED_PID
if find_window '^ps2test: running$' 60 && wait_line 60 "$SERIAL" '^ready '; then
	ok "window up, guest ready"
else
	fail "window up, guest ready" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
check "no USB tablet: QEMU has only the PS/2 mouse" eval "! qmp '$QMP' hmp 'info mice' | grep -q Tablet"
xdotool windowfocus --sync "$WIN" 2>/dev/null
xdotool mousemove --window "$WIN" 100 100
sleep 0.3
xdotool click 1
check "a click grabs the pointer (title)" wait_for 10 title_is "ps2test: running (pointer grabbed)"
check "the grabbing click does not reach the guest" eval "! grep -q 'button left' '$TRACE'"

# relative motion: QEMU sees the deltas we move by
rel_sum() {   # rel_sum AXIS: sum of the traced relative motion on AXIS
	grep "axis $1" "$TRACE" | sed 's/.*value //' | awk '{s += $1} END {print s + 0}'
}
x0=$(rel_sum x) y0=$(rel_sum y)
xdotool mousemove_relative -- 40 -25
sleep 1
dx=$(($(rel_sum x) - x0)) dy=$(($(rel_sum y) - y0))
if [ "$dx" -eq 40 ] && [ "$dy" -eq -25 ]; then
	ok "host motion 40,-25 reaches the guest as PS/2 motion $dx,$dy"
else
	fail "host motion 40,-25 reaches the guest as PS/2 motion" "got $dx,$dy"
fi
xdotool click 1
check "a click while grabbed reaches the guest" wait_for 10 grep -q 'button left, down 1' "$TRACE"

xdotool key ctrl+alt+g
check "ctrl+alt+g releases the pointer (title)" wait_for 10 title_is "ps2test: running"
n=$(grep -c . "$TRACE")
xdotool mousemove_relative -- 30 30
xdotool mousemove --window "$WIN" 200 150
sleep 1
check "motion after the release reaches nothing" [ "$(grep -c . "$TRACE")" -eq "$n" ]

xdotool key p
if wait_exit "$VPID" 60 && [ "$EXIT_STATUS" = 0 ]; then
	ok "--exit-on-poweroff: guest power-off ends vmplay with status 0"
else
	fail "--exit-on-poweroff: guest power-off ends vmplay with status 0" "status ${EXIT_STATUS:-still running}"
fi
finish
