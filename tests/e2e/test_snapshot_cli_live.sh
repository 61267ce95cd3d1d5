#!/bin/bash
# `vmplay snapshot` while a vmplay runs the VM (here --headless, with the
# clipboard's agent on, so its unplug and plug back is part of every job):
# take, restore and delete go to the running vmplay over its instance
# socket and run as its menu would, memory included; list reads the
# images while QEMU runs them. Exit status 0 on success, 1 with the
# reason on stderr otherwise; the VM keeps running throughout.
. "$(dirname "$0")/lib.sh"

[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
export XDG_STATE_HOME=$TMP/state

guest_vmfile live
qemu-img create -q -f qcow2 "$TMP/sys.qcow2" 32M
printf '\n[disk.system]\nfile = sys.qcow2\n\n[clipboard]\nenabled = true\n' >>"$VMFILE"
tq() { qmp "$GUEST_QMP" "$@"; }
agent_in() {
	tq raw '{"execute":"query-chardev"}' | grep -q '"label": "vdagent0"' &&
		tq raw '{"execute":"query-migrate"}' | grep -q vdagent
}

spawn live "$VMPLAY" --headless --trust "$VMFILE"
VPID=$SPAWNED_PID
wait_line 60 "$GUEST_SERIAL" '^ready ' || { fail "the headless VM runs" "$(cat "$TMP/live.log")"; finish; }
check "the clipboard's agent is plugged in" agent_in

# snap ARGS...: runs vmplay snapshot; its stdout in $OUT, stderr in $ERR
snap() {
	"$VMPLAY" snapshot "$@" >"$TMP/out" 2>"$TMP/err"
	STATUS=$?
	OUT=$(cat "$TMP/out") ERR=$(cat "$TMP/err")
}

snap take "$VMFILE" first
if [ "$STATUS" = 0 ] && printf '%s' "$OUT" | grep -qE '^Snapshot first taken in [0-9.]+ s$'; then
	ok "take on the running VM: exit 0, 'Snapshot first taken in N s'"
else
	fail "take on the running VM" "status $STATUS out: $OUT err: $ERR"
fi
printf '%s' "$ERR" | grep -q '^Taking snapshot first…$' && ok "its progress on stderr" ||
	fail "its progress on stderr" "$ERR"
check "the VM still runs" test "$(tq query-status)" = running
check "the agent is plugged back in" agent_in

snap list "$VMFILE"
if [ "$STATUS" = 0 ] && printf '%s' "$OUT" | grep -qE '^  first +[0-9-]+ [0-9:]+ +[0-9:.]+ +[1-9][0-9.]*[KMG]'; then
	ok "list while it runs: the snapshot with its memory (RAM STATE)"
else
	fail "list while it runs" "status $STATUS out: $OUT err: $ERR"
fi

snap take "$VMFILE"
[ "$STATUS" = 0 ] && printf '%s' "$OUT" | grep -qE '^Snapshot [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9:]+( \([0-9]+\))? taken in' &&
	ok "take without a name: named by the date" || fail "take without a name" "status $STATUS out: $OUT err: $ERR"

snap take "$VMFILE" first
if [ "$STATUS" = 1 ] && printf '%s' "$ERR" | grep -q '^vmplay snapshot: Snapshot first failed: a snapshot of that name exists already'; then
	ok "an existing name: exit 1, the reason on stderr, nothing overwritten"
else
	fail "an existing name is refused" "status $STATUS out: $OUT err: $ERR"
fi

snap take "$VMFILE" "$(printf 'bad\tname')"
[ "$STATUS" = 2 ] && ok "a name with a control character: exit 2 before asking" ||
	fail "a bad name is refused" "status $STATUS err: $ERR"

tq send-key 3
wait_line 30 "$GUEST_SERIAL" '^mode 1024x768$' || fail "the guest switched to 1024x768"
snap restore "$VMFILE" first
[ "$STATUS" = 0 ] && printf '%s' "$OUT" | grep -q '^Snapshot first restored$' &&
	ok "restore on the running VM: exit 0" || fail "restore on the running VM" "status $STATUS out: $OUT err: $ERR"
check "the VM runs after the restore" test "$(tq query-status)" = running
check "the agent is plugged back in after the restore" agent_in
back_to_640() { tq screendump "$TMP/r.ppm" && [ "$(ppm size "$TMP/r.ppm")" = 640x480 ]; }
check "the screen is back at the snapshot's mode (640x480)" wait_for 10 back_to_640

snap restore "$VMFILE" nope
[ "$STATUS" = 1 ] && printf '%s' "$ERR" | grep -q 'the VM has no snapshot of that name' &&
	ok "restoring a missing name: exit 1, said why" || fail "restoring a missing name" "status $STATUS err: $ERR"
check "the VM still runs after the refusal" test "$(tq query-status)" = running

snap delete "$VMFILE" first
[ "$STATUS" = 0 ] && printf '%s' "$OUT" | grep -q '^Snapshot first deleted$' &&
	ok "delete on the running VM: exit 0" || fail "delete on the running VM" "status $STATUS out: $OUT err: $ERR"
snap list "$VMFILE" --names
printf '%s\n' "$OUT" | grep -qx first && fail "the deleted snapshot is gone" "$OUT" ||
	ok "the deleted snapshot is gone"

kill -TERM "$VPID"; sleep 0.5; kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30
# With no vmplay running it, the same commands work offline as before.
snap take "$VMFILE" offline
[ "$STATUS" = 0 ] && printf '%s' "$OUT" | grep -q "^snapshot 'offline' taken" &&
	ok "with the VM off: the offline take, as before" || fail "offline take" "status $STATUS out: $OUT err: $ERR"
finish
