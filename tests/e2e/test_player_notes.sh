#!/bin/bash
# What the window tells a new user (issue 16): with accel = auto and no
# usable KVM, the slow-emulation warning shows once in the window (a
# toast), not only on stderr.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

have_tools || finish
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
start_wm; [ $? = 2 ] && { skip "notes" "openbox is not installed"; finish; }
export SDL_VIDEODRIVER=x11
export XDG_STATE_HOME=$TMP/state

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
kill -TERM "$VPID"; wait_exit "$VPID" 30
finish
