#!/bin/bash
# Issue 16 items 1 and 2, against real QEMU through the actions driver
# (the same vm_session + vm_actions loop as the player):
#   - a snapshot taken before a disk was attached stays listed, as
#     "partial: not on disk 'data'", and restores: the old disk goes back,
#     the new one is left as it is, the VM restarts;
#   - a disk-only snapshot (vmplay snapshot take) is listed as "disks only"
#     and restores from the menu's action while the VM runs (restart);
#   - vmplay snapshot restore does the partial one from a terminal too.
# The disks' contents are checked with qemu-io: a pattern written after a
# snapshot must be gone from the restored disk and kept on the new one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/actions_lib.sh"

[ -x "$DRIVER" ] || { fail "actions driver" "$DRIVER missing: run make check"; finish; }
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
export XDG_STATE_HOME=$TMP/state
VM=kinds
F=$TMP/$VM.vmplay

{
	guest_vm_text "$VM" "-serial file:$TMP/$VM.serial"
	printf '\n[disk.system]\nfile = system.qcow2\nformat = qcow2\n'
} >"$F"
qemu-img create -q -f qcow2 "$TMP/system.qcow2" 64M

# pattern IMAGE BYTE: the first 4 KiB hold BYTE (qemu-io, VM off).
pattern() { qemu-io -f qcow2 -c "read -P $2 0 4k" "$1" 2>&1 | grep -q '^read 4096/4096'; }
write_pattern() { qemu-io -f qcow2 -c "write -P $2 0 4k" "$1" >/dev/null; }

# 1. A snapshot with memory, then a disk created from the menu.
start_driver "$VM" || { fail "driver starts" "$(cat "$TMP/$VM.driver.log")"; finish; }
wait_line 60 "$TMP/$VM.serial" '^ready ' || fail "guest is up" "no ready line"
expect "take 'clean state' (memory + disks)" "take clean state" '^note info Snapshot clean state taken'
expect "create and attach disk 'data'" "create data qcow2 16M" '^note info Disk data created'
stop_driver

# 2. Off: both disks change; a disk-only snapshot of that from a terminal.
write_pattern "$TMP/system.qcow2" 0xab
write_pattern "$TMP/data.qcow2" 0xcd
vm "$TMP/out" "$TMP/err" snapshot take "$F" on-disks
check "vmplay snapshot take (disks only) on both disks" test "$?" = 0
write_pattern "$TMP/system.qcow2" 0xee

# 3. Next start: both are listed, with their kinds.
start_driver "$VM" || { fail "driver starts with two disks" "$(cat "$TMP/$VM.driver.log")"; finish; }
expect "the earlier snapshot is still listed, as partial" list \
	"^snapshot clean state\\|[^|]+\\|[^|]+\\|[1-9][0-9]*\\|partial: not on disk 'data'\$"
has '^snapshot on-disks\|[^|]+\|[^|]+\|0\|disks only$' &&
	ok "the disk-only snapshot is listed as 'disks only'" ||
	fail "the disk-only snapshot is listed as 'disks only'" "$(printf '%s' "$OUT" | tr '\n' '|')"

# 4. The disk-only one restores from the menu's action: the VM restarts.
expect "restore a disk-only snapshot while running" "restore on-disks" \
	'^note info Snapshot on-disks restored: the VM starts from it$'
has '^restarted$' && ok "the VM restarted for it" || fail "the VM restarted for it" "$(printf '%s' "$OUT" | tr '\n' '|')"
has '^note progress Turning the VM off to restore snapshot on-disks' &&
	ok "progress note says the VM is turned off" || fail "progress note" "$(printf '%s' "$OUT" | tr '\n' '|')"
wait_line 60 "$TMP/$VM.serial" '^ready ' && ok "the guest boots again" || fail "the guest boots again"
stop_driver
check "system disk is back at the disk-only snapshot" pattern "$TMP/system.qcow2" 0xab

# 5. The partial one restores too: system goes back, data is kept.
write_pattern "$TMP/data.qcow2" 0x11
start_driver "$VM" || { fail "driver starts again" "$(cat "$TMP/$VM.driver.log")"; finish; }
expect "restore the partial snapshot while running" "restore clean state" \
	"^note info Snapshot clean state restored; disk 'data' did not have it and was left as it was\$"
has '^restarted$' && ok "the VM restarted for the partial one" || fail "restarted" "$(printf '%s' "$OUT" | tr '\n' '|')"
stop_driver
check "system disk is back at 'clean state' (zeros)" pattern "$TMP/system.qcow2" 0
check "data disk was left as it is" pattern "$TMP/data.qcow2" 0x11

# 6. From a terminal: the partial restore works and says what it left.
write_pattern "$TMP/system.qcow2" 0x22
vm "$TMP/out" "$TMP/err" snapshot restore "$F" "clean state"
check "vmplay snapshot restore of a partial snapshot succeeds" test "$?" = 0
check "it names the disk it left as it is" \
	grep -q "^note: disk 'data' ($TMP/data.qcow2) has no snapshot 'clean state' (it was attached later) and was left as it is" "$TMP/out"
check "system disk restored by the CLI" pattern "$TMP/system.qcow2" 0
check "data disk untouched by the CLI" pattern "$TMP/data.qcow2" 0x11
vm "$TMP/out" "$TMP/err" snapshot restore "$F" nope
check "a name no disk has is still an error" test "$?" = 1

finish
