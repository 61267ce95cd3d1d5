#!/bin/bash
# What the window tells a new user (issue 16): with accel = auto and no
# usable KVM, the slow-emulation warning shows once in the window (a
# toast), not only on stderr; paused, the picture dims under "Paused:
# Ctrl+Alt+P resumes it", a key typed then is not sent and a toast says
# why, and resuming takes it all away; "Ctrl+Alt+M: menu" at the first
# start of a VM only (remembered in the state folder), and how to let go
# when a PS/2 pointer is grabbed.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

have_tools || finish
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
start_wm; [ $? = 2 ] && { skip "notes" "openbox is not installed"; finish; }
export SDL_VIDEODRIVER=x11
export XDG_STATE_HOME=$TMP/state
export VMPLAY_POWERDOWN_TIMEOUT=1   # the test guest ignores ACPI

guest_vmfile notes
sed -i 's/^accel = tcg$/accel = auto/' "$VMFILE"
kvm_ok=false
"$VMPLAY" check 2>/dev/null | grep -q '^ok  *kvm' && kvm_ok=true
VMPLAY_DEBUG=1 spawn notes "$VMPLAY" --trust "$VMFILE"
VPID=$SPAWNED_PID
if wait_line 60 "$GUEST_SERIAL" '^ready' && find_window "^notes: running" 30; then
	ok "the guest runs in a window"
else
	fail "the guest runs in a window" "$(tail -n 5 "$TMP/notes.log")"
	finish
fi
if $kvm_ok; then
	skip "KVM warning" "KVM is usable here"
else
	check "the KVM warning shows in the window" \
		wait_line 10 "$TMP/notes.log" 'toast: KVM is not usable \(.*\): notes runs with TCG emulation, which is much slower\.'
	check "  ... once" test "$(grep -c 'toast: KVM is not usable' "$TMP/notes.log")" = 1
	capture "$TMP/kvm-toast.png"
fi
# Paused (item 9).
xdotool windowfocus --sync "$WIN" 2>/dev/null || xdotool windowfocus "$WIN"
xdotool key ctrl+alt+p
check "paused: the note says how to resume" wait_line 10 "$TMP/notes.log" \
	'screen message: Paused: Ctrl\+Alt\+P resumes it\.'
check "  ... and QEMU is paused" wait_for 10 eval '[ "$(qmp "$GUEST_QMP" query-status)" = paused ]'
sleep 0.5
capture "$TMP/paused.png"
keys_before=$(wc -l <"$GUEST_SERIAL")
xdotool key a b
check "a key typed while paused gets a toast" wait_line 10 "$TMP/notes.log" \
	'toast: The VM is paused: keys do not reach it\. Ctrl\+Alt\+P resumes it\.'
check "  ... once" test "$(grep -c 'toast: The VM is paused' "$TMP/notes.log")" = 1
xdotool key ctrl+alt+p
check "resumed: QEMU runs" wait_for 10 eval '[ "$(qmp "$GUEST_QMP" query-status)" = running ]'
check "resumed: the note is gone" wait_for 10 eval \
	'[ "$(grep "screen message:" "$TMP/notes.log" | tail -n 1)" = "vmplay: debug: screen message: (none)" ]'
sleep 1
# a and b are scan codes 1e and 30 (the ctrl and alt of the shortcut do
# reach the guest, as every modifier does).
check "the keys typed while paused never reached the guest" \
	eval "! tail -n +$((keys_before + 1)) '$GUEST_SERIAL' | grep -qE '^key (1e|30|9e|b0)\$'"
check "first start: the menu hint shows" \
	grep -q 'toast: Ctrl+Alt+M: menu' "$TMP/notes.log"
capture "$TMP/first-start.png"
kill -TERM "$VPID"; wait_exit "$VPID" 30
check "the hint is remembered for this VM" \
	grep -qx "$VMFILE" "$XDG_STATE_HOME/vmplay/menu-hint-shown"

# Second start of the same VM (with a PS/2 pointer): no menu hint; a
# grab says how to let go.
: >"$GUEST_SERIAL"
printf '\n[input]\npointer = ps2\n' >>"$VMFILE"
VMPLAY_DEBUG=1 spawn notes2 "$VMPLAY" --trust "$VMFILE"
VPID=$SPAWNED_PID
if wait_line 60 "$GUEST_SERIAL" '^ready' && find_window "^notes: running" 30; then
	sleep 1
	check "second start: no menu hint" eval "! grep -q 'toast: Ctrl+Alt+M: menu' '$TMP/notes2.log'"
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool mousemove --window "$WIN" 100 100
	sleep 0.3
	xdotool click 1
	check "a grab says how to let go" wait_line 10 "$TMP/notes2.log" \
		'toast: Pointer grabbed: Ctrl\+Alt\+G lets go · menu: Ctrl\+Alt\+M'
	capture "$TMP/grabbed.png"
	xdotool key ctrl+alt+g
else
	fail "second start" "$(tail -n 5 "$TMP/notes2.log")"
fi
kill -TERM "$VPID"; wait_exit "$VPID" 30
finish
