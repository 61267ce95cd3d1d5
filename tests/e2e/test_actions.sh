#!/bin/bash
# The menu's actions (src/vm/vm_actions.c) against real QEMU, headless: the
# test guest boots under $BUILD/tests/actions-driver, which runs the same
# vm_session + vm_actions loop as the player and takes commands on stdin.
# A second QMP monitor of the test's own (added through [qemu] args) checks
# what QEMU did: screendumps, query-block, query-status.
#   snapshots: take (named / by date), never overwrite, list, restore brings
#     the screen back, delete, listed by qemu-img after shutdown;
#   a VM with a raw disk gets the message naming that disk, nothing breaks;
#   a UEFI VM's variable store (node efivars) takes part in its snapshots;
#   media: insert/eject in query-block, the VM file and the recent list;
#     a file that is not an ISO 9660/UDF image is refused, named;
#   disks: create + attach (file, format, size, VM file lines intact),
#     refusals, grow refused while running and done while off;
#   keys and power: Ctrl+Alt+Del reaches the guest, pause, reset, force off.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/actions_lib.sh"

EXPECT_TIMEOUT=90
[ -x "$DRIVER" ] || { fail "actions driver" "$DRIVER missing: run make check"; finish; }
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
ISO=/usr/lib/grub-rescue/grub-rescue-cdrom.iso
export XDG_STATE_HOME=$TMP/state

# vm_file FILE NAME DISK-SECTIONS: a VM file full of comments and odd
# spacing, so that edits can be checked to keep every byte of it.
vm_file() {
	cat >"$1" <<EOF
; $2: a VM for the actions test
# (comments of both kinds must survive every edit)

[vm]
name = $2
memory   = 64M        ; small: the test guest needs little
machine = pc
; TCG always in tests: /dev/kvm may exist but misbehave
accel = tcg
$3
[cdrom]   ; an empty drive to insert media into
file =

[boot]
kernel = $(guest_kernel)

[network]
mode = none
[audio]
backend = none
device = none

[qemu]
args = -qmp unix:$TMP/$2.qmp,server=on,wait=off -serial file:$TMP/$2.serial
EOF
}

has_text() { printf '%s' "$OUT" | grep -qF -- "$1"; }
out_line() { printf '%s' "$OUT" | grep -E -- "$1" | head -n 1; }

tq() { qmp "$TMP/$VM.qmp" "$@"; }
shot() { tq screendump "$TMP/$1.ppm"; }
block_cd() {
	tq raw '{"execute":"query-block"}' | python3 -c '
import json, sys
for b in json.load(sys.stdin):
    if b.get("qdev") == "cdrom0":
        print(b.get("inserted", {}).get("file", "empty"))'
}

# ---- the qcow2 VM ----
VM=acts
qemu-img create -q -f qcow2 "$TMP/system.qcow2" 64M
vm_file "$TMP/$VM.vmplay" "$VM" '
[disk.system]   ; the boot disk
file = system.qcow2
format = qcow2
'
cp "$TMP/$VM.vmplay" "$TMP/$VM.orig"

start_driver "$VM" || { fail "driver starts the VM" "$(cat "$TMP/$VM.driver.log")"; finish; }
ok "driver started QEMU through vm_session"
wait_line 60 "$TMP/$VM.serial" '^ready ' && ok "guest is up" ||
	fail "guest is up" "no ready line"

expect "a qcow2 VM can take snapshots" blocker '^blocker none$'

shot before
expect "take a named snapshot" "take before" '^note info Snapshot before taken in [0-9]+\.[0-9]{1,2} s$'
has '^note progress Taking snapshot before…$' && ok "progress note while saving" ||
	fail "progress note while saving" "$OUT"

tq send-key 3
wait_line 30 "$TMP/$VM.serial" '^mode 1024x768$' && ok "guest switched to 1024x768" ||
	fail "guest switched to 1024x768"
shot after
check "screen changed after the snapshot" test "$(ppm size "$TMP/after.ppm")" = 1024x768

expect "take a snapshot named by date and time" take \
	'^note info Snapshot [0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}( \([0-9]+\))? taken in'
DATED=$(out_line '^note info Snapshot ' | sed -E 's/^note info Snapshot (.*) taken in .*/\1/')

cmd 60 list
clock_before=$(out_line '^snapshot before\|' | cut -d'|' -f3)
expect "an existing name is refused, not overwritten" "take before" \
	'^note error Snapshot before failed: a snapshot of that name exists already'
cmd 60 list
check "the refused take left the snapshot as it was" \
	test "$(out_line '^snapshot before\|' | cut -d'|' -f3)" = "$clock_before"
if has "^snapshot $DATED\|[0-9-]+ [0-9:]+\|[0-9:.]+\|[1-9][0-9]*\|memory \+ disks$" && has '^snapshot before\|'; then
	ok "list: both snapshots with date, VM clock and RAM state"
else
	fail "list: both snapshots with date, VM clock and RAM state" "$OUT"
fi

expect "restore a snapshot" "restore before" '^note info Snapshot before restored$'
shot restored
check "restore brings the screen back (screendump equal)" \
	ppm compare "$TMP/restored.ppm" "$TMP/before.ppm"
check "the VM runs after the restore" test "$(tq query-status)" = running
expect "restoring a missing name is refused" "restore nope" \
	'^note error Cannot restore snapshot nope: the VM has no snapshot of that name$'
check "the refused restore left the VM running" test "$(tq query-status)" = running

expect "delete a snapshot" "delete $DATED" "^note info Snapshot $DATED deleted\$"
cmd 60 list
has "^snapshot $DATED\|" && fail "deleted snapshot is gone from the list" "$OUT" ||
	ok "deleted snapshot is gone from the list"
expect "deleting a missing name is refused" "delete $DATED" \
	'the VM has no snapshot of that name'

# Disks (before the media steps: the VM file must start with the original).
expect "create and attach a disk" "create data qcow2 32M" \
	'^note info Disk data created \(32M qcow2, data.qcow2\); attached at next boot$'
info=$(qemu-img info --output=json "$TMP/data.qcow2" 2>&1)
check "new disk is a qcow2 of 32M" test "$(json_get "$info" format) $(json_get "$info" virtual-size)" = "qcow2 33554432"
orig_len=$(stat -c %s "$TMP/$VM.orig")
check "VM file keeps every original byte" \
	cmp -n "$orig_len" "$TMP/$VM.orig" "$TMP/$VM.vmplay"
check "VM file gained the disk's section" test \
	"$(tail -c +$((orig_len + 1)) "$TMP/$VM.vmplay")" = \
	"$(printf '\n[disk.data]\nfile = data.qcow2\nformat = qcow2\nsize = 32M\ninterface = virtio')"
expect "the disk list shows it for the next boot" list '^disk data\|qcow2\|33554432\|[0-9]+\|next-boot$'
expect "a second disk of the same name is refused" "create data raw 1M" \
	'already'
echo "keep me" >"$TMP/spare.img"
expect "an existing file is never overwritten" "create spare raw 1M" \
	'spare.img exists already, and vmplay never overwrites a file'
check "the existing file is untouched" test "$(cat "$TMP/spare.img")" = "keep me"
expect "a bad disk name is refused" "create a/b qcow2 1M" "contains '/'"
# The reader's rule, not a looser one: these would make the VM file
# unloadable as [disk.NAME].
expect "a name with '.' is refused" "create Data_2.old-x qcow2 1M" "contains '.'"
expect "a name starting with a digit is refused" "create 1x qcow2 1M" \
	"does not start with a letter"
check "nothing was created for the refused names" \
	test ! -e "$TMP/Data_2.old-x.qcow2" -a ! -e "$TMP/1x.qcow2"
expect "growing an attached disk is refused while the VM runs" "grow system 128M" \
	'^note error Disk system can grow only while the VM is off'
expect "a new, not yet attached disk can grow" "grow data 64M" '^note info Disk data is now 64M$'
check "it is 64M now" test "$(json_get "$(qemu-img info --output=json "$TMP/data.qcow2")" virtual-size)" = 67108864

# Media.
cp "$TMP/$VM.vmplay" "$TMP/$VM.before-media"
expect "insert an ISO" "insert $ISO" '^note info Inserted grub-rescue-cdrom.iso$'
check "query-block shows the ISO in cdrom0" test "$(block_cd)" = "$ISO"
check "the VM file's [cdrom] file is the ISO" grep -qx "file = $ISO" "$TMP/$VM.vmplay"
check "the recent list has it" grep -qx "$ISO" "$TMP/state/vmplay/recent-isos"
check "only the [cdrom] file line changed" test \
	"$(diff "$TMP/$VM.before-media" "$TMP/$VM.vmplay" | grep -c '^[<>]')" = 2
expect "eject" eject '^note info Ejected grub-rescue-cdrom.iso$'
check "query-block shows the drive empty" test "$(block_cd)" = empty
check "the VM file's [cdrom] file is empty again" grep -qE '^file = ?$' "$TMP/$VM.vmplay"
expect "a missing ISO is named" "insert $TMP/missing.iso" \
	"^note error Cannot insert missing.iso: cannot open $TMP/missing.iso: No such file or directory\$"
# Not an ISO (issue 16 item 4): refused, saying what it is; nothing of it
# reaches the drive, the VM file or the recent list.
cp "$TMP/$VM.vmplay" "$TMP/$VM.before-passwd"
expect "a text file is not inserted" "insert /etc/passwd" \
	'^note error Cannot insert passwd: /etc/passwd is a text file, not an ISO 9660 or UDF image$'
expect "a qcow2 image is not inserted" "insert $TMP/system.qcow2" \
	'is a qcow2 disk image \(attach it as a disk instead\), not an ISO 9660 or UDF image$'
check "the drive stays empty" test "$(block_cd)" = empty
check "the VM file is unchanged" cmp -s "$TMP/$VM.before-passwd" "$TMP/$VM.vmplay"
check "the recent list does not have it" eval '! grep -q passwd "$TMP/state/vmplay/recent-isos"'


# Keys and power.
count_keys() { grep -c '^key ' "$TMP/$VM.serial"; }
keys0=$(count_keys)
expect "send Ctrl+Alt+Del" cad '^note info Sent Ctrl\+Alt\+Del$'
if wait_for 20 eval '[ $(count_keys) -ge $((keys0 + 8)) ]' &&
	[ "$(grep '^key ' "$TMP/$VM.serial" | tail -n 8 | tr '\n' ' ')" = \
		"key 1d key 38 key e0 key 53 key e0 key d3 key b8 key 9d " ]; then
	ok "the guest got ctrl, alt, delete pressed and released in reverse"
else
	fail "the guest got ctrl, alt, delete" "$(grep '^key ' "$TMP/$VM.serial" | tail -n 8 | tr '\n' ' ')"
fi
cmd 30 pause
check "pause: QEMU is paused" wait_for 10 eval '[ "$(tq query-status)" = paused ]'
cmd 30 pause
check "pause again resumes" wait_for 10 eval '[ "$(tq query-status)" = running ]'
readies=$(grep -c '^ready ' "$TMP/$VM.serial")
expect "reset" reset '^note info VM reset$'
wait_for 60 eval '[ $(grep -c "^ready " "$TMP/$VM.serial") -gt $readies ]' &&
	ok "a second ready line" || fail "a second ready line"

expect "force off" forceoff '^note info Turning the VM off$'
expect "QEMU is gone" "wait-exit 30" '^exited yes$'
snaps=$(qemu-img snapshot -l "$TMP/system.qcow2" 2>&1)
if printf '%s\n' "$snaps" | grep -qE '^[0-9]+ +before +[0-9.]+ [KMG]i?B' &&
	[ "$(printf '%s\n' "$snaps" | grep -cE '^[0-9]+ ')" = 1 ]; then
	ok "qemu-img snapshot -l lists 'before' (with RAM state), not the deleted one"
else
	fail "qemu-img snapshot -l" "$snaps"
fi
expect "offline list through qemu-img" list '^snapshot before\|'
# with QEMU gone, snapshots go through qemu-img: the code of `vmplay snapshot`
expect "offline take through qemu-img" "take x" '^note info Snapshot x taken$'
check "  ... qemu-img lists x" eval 'qemu-img snapshot -l "$TMP/system.qcow2" | grep -qE "^[0-9]+ +x "'
expect "offline delete" "delete x" '^note info Snapshot x deleted$'
check "  ... x is gone" eval '! qemu-img snapshot -l "$TMP/system.qcow2" | grep -qE "^[0-9]+ +x "'
expect "offline restore" "restore before" '^note info Snapshot before restored'
expect "offline restore of a missing name says so" "restore nosuch" "^note error disk 'system' .* has no snapshot named 'nosuch'"
expect "growing works while the VM is off" "grow system 128M" '^note info Disk system is now 128M$'
check "system disk is 128M" test "$(json_get "$(qemu-img info --output=json "$TMP/system.qcow2")" virtual-size)" = 134217728
exec {IN}>&-
wait_exit "$DRV_PID" 30 && check "driver ends at end of input" test "$EXIT_STATUS" = 0 ||
	fail "driver ends at end of input" "still running"

# ---- a VM with a raw disk ----
VM=rawvm
qemu-img create -q -f qcow2 "$TMP/rsys.qcow2" 64M
qemu-img create -q -f raw "$TMP/scratch.img" 16M
vm_file "$TMP/$VM.vmplay" "$VM" '
[disk.system]
file = rsys.qcow2

[disk.scratch]
file = scratch.img
format = raw
'
start_driver "$VM" || { fail "driver starts the raw VM" "$(cat "$TMP/$VM.driver.log")"; finish; }
wait_line 60 "$TMP/$VM.serial" '^ready ' || fail "raw VM guest is up"
msg="disk 'scratch' ($TMP/scratch.img) is a raw image, which cannot hold snapshots"
cmd 60 take
has_text "note error No snapshots for rawvm: $msg" && ok "raw disk: take names the disk" ||
	fail "raw disk: take names the disk" "$OUT"
! has 'note progress' && ok "raw disk: nothing was started" || fail "raw disk: nothing was started" "$OUT"
cmd 60 "restore x"
has_text "$msg" && ok "raw disk: restore gets the same message" ||
	fail "raw disk: restore gets the same message" "$OUT"
check "raw disk: the VM still runs" test "$(tq query-status)" = running
expect "raw disk: the other actions still work" cad '^note info Sent Ctrl\+Alt\+Del$'
cmd 30 forceoff
cmd 40 "wait-exit 30"
check "raw disk: no snapshot was made on the qcow2 disk" \
	test -z "$(qemu-img snapshot -l "$TMP/rsys.qcow2")"
exec {IN}>&-
wait_exit "$DRV_PID" 30

# ---- the clipboard on: QEMU 7.2's qemu-vdagent blocks saving memory, so
# the agent's port and chardev are unplugged around the job and plugged
# back after it (src/vm/vm_agent.c) ----
VM=clipvm
qemu-img create -q -f qcow2 "$TMP/csys.qcow2" 64M
vm_file "$TMP/$VM.vmplay" "$VM" '
[disk.system]
file = csys.qcow2

[clipboard]
enabled = true
'
# the agent is plugged in: its chardev exists, a port uses it, and QEMU
# names its migration blocker
agent_in() {
	tq raw '{"execute":"query-chardev"}' | grep -q '"label": "vdagent0"' &&
		tq raw '{"execute":"qom-get","arguments":{"path":"/machine/peripheral/agent0","property":"name"}}' |
		grep -q com.redhat.spice.0 &&
		tq raw '{"execute":"query-migrate"}' | grep -q 'vdagent'
}
start_driver "$VM" || { fail "driver starts the clipboard VM" "$(cat "$TMP/$VM.driver.log")"; finish; }
wait_line 60 "$TMP/$VM.serial" '^ready ' || fail "clipboard VM guest is up"
check "clipboard on: the agent is plugged in at start" agent_in
shot cbefore
expect "clipboard on: a snapshot with memory is taken" "take c1" \
	'^note info Snapshot c1 taken in [0-9]+\.[0-9]{1,2} s$'
check "clipboard on: the agent is plugged back in after the take" agent_in
check "clipboard on: the VM still runs" test "$(tq query-status)" = running
expect "clipboard on: the snapshot is listed with its memory" list \
	'^snapshot c1\|.*\|memory \+ disks$'
tq send-key 3
wait_line 30 "$TMP/$VM.serial" '^mode 1024x768$' || fail "clipboard VM switched to 1024x768"
expect "clipboard on: the snapshot is restored" "restore c1" \
	'^note info Snapshot c1 restored$'
shot crestored
check "clipboard on: restore brings the screen back" \
	ppm compare "$TMP/crestored.ppm" "$TMP/cbefore.ppm"
check "clipboard on: the VM runs after the restore" test "$(tq query-status)" = running
check "clipboard on: the agent is plugged back in after the restore" agent_in
expect "clipboard on: a second take works too" "take c2" '^note info Snapshot c2 taken in'
check "clipboard on: and leaves the agent plugged in" agent_in
cmd 30 forceoff
cmd 40 "wait-exit 30"
check "clipboard on: qemu-img lists both snapshots with their memory" \
	test "$(qemu-img snapshot -l "$TMP/csys.qcow2" | grep -cE ' c[12] +[1-9][0-9.]* [KMG]i?B')" = 2
exec {IN}>&-
wait_exit "$DRV_PID" 30

# ---- a UEFI VM: its variable store (qcow2, node "efivars") takes part ----
if [ -f /usr/share/OVMF/OVMF_CODE_4M.fd ] || [ -f /usr/share/OVMF/OVMF_CODE.fd ]; then
	VM=uefivm
	qemu-img create -q -f qcow2 "$TMP/usys.qcow2" 64M
	cat >"$TMP/$VM.vmplay" <<EOF
[vm]
name = $VM
memory = 128M
machine = q35
firmware = uefi
; TCG always in tests
accel = tcg
[disk.system]
file = usys.qcow2
[network]
mode = none
[audio]
backend = none
device = none
EOF
	start_driver "$VM" || fail "driver starts the UEFI VM" "$(cat "$TMP/$VM.driver.log")"
	expect "UEFI: take a snapshot" "take firmware" '^note info Snapshot firmware taken in'
	expect "UEFI: restore it" "restore firmware" '^note info Snapshot firmware restored$'
	cmd 30 forceoff
	cmd 40 "wait-exit 30"
	check "UEFI: the variable store holds the snapshot too" \
		eval 'qemu-img snapshot -l "$TMP/$VM.efivars.qcow2" | grep -q " firmware "'
	exec {IN}>&-
	wait_exit "$DRV_PID" 30
else
	skip "UEFI snapshot" "OVMF is not installed"
fi

finish
