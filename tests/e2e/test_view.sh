#!/bin/bash
# Issue 16 item 12: `vmplay view` opens a window on a VM that runs headless
# (real QEMU, the test guest, Xvfb): the window shows the guest's picture
# (equal to QEMU's screendump), keys reach the guest, pause in the window
# pauses the VM and a pause made elsewhere shows in the title; closing the
# window leaves the VM running, a second view works, playing the file
# opens the same view, a snapshot taken from the view is taken by the
# vmplay that runs the VM (memory included), and a VM that is off is an
# error that says how to start it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

missing=$(have_tools) || { skip "vmplay view" "$missing is missing"; finish; }
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest" "$KERNEL is missing (make builds it)"; finish; }
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
export VMPLAY_MESSAGE_BOX=0
export XDG_RUNTIME_DIR=$TMP/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"

QMP=$TMP/v.qmp SERIAL=$TMP/v.serial
guest_vm_text v "-qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL" >"$TMP/v.vmplay"
qemu-img create -q -f qcow2 "$TMP/sys.qcow2" 16M
printf '\n[disk.system]\nfile = sys.qcow2\n' >>"$TMP/v.vmplay"
: >"$SERIAL"

# --- a VM that is off ----------------------------------------------------
"$VMPLAY" view "$TMP/v.vmplay" >"$TMP/off.out" 2>&1
st=$?
if [ "$st" = 1 ] && grep -q "v is not running" "$TMP/off.out" &&
	grep -q -- "--headless" "$TMP/off.out"; then
	ok "view of a VM that is off: says so and how to start it (status 1)"
else
	fail "view of a VM that is off" "status $st: $(cat "$TMP/off.out")"
fi
"$VMPLAY" view >/dev/null 2>&1
[ $? = 2 ] && ok "view without a file: usage, status 2" || fail "view without a file: status 2"
"$VMPLAY" view --help | grep -q "Closing the window leaves the VM running" &&
	ok "view --help says what it does" || fail "view --help"

# --- headless VM, then a window on it -------------------------------------
spawn headless "$VMPLAY" --headless --trust "$TMP/v.vmplay"
HPID=$SPAWNED_PID
if ! wait_line 90 "$SERIAL" '^ready '; then
	fail "the VM runs headless" "$(tail -n 3 "$TMP/headless.log" "$SERIAL" | tr '\n' ' ')"
	finish
fi
QEMU_PID=$(qemu_of "$HPID")
register_pid "$QEMU_PID"
RUNDIR=$(sed -n 's/^v: running, runtime folder //p' "$TMP/headless.log")
check "QEMU has a viewer monitor in the runtime folder" test -S "$RUNDIR/viewer.sock"

view() {
	spawn "$1" env VMPLAY_DEBUG=1 "$VMPLAY" view "$TMP/v.vmplay"
	VPID=$SPAWNED_PID
	find_window '^v: running$' 30
}
if view view1; then
	ok "vmplay view opens a window titled 'v: running'"
else
	fail "vmplay view opens a window" "$(tail -n 5 "$TMP/view1.log")"
	finish
fi
check "the window shows the guest's picture (equal to QEMU's screendump)" same_picture "$QMP"

# keys typed into the window reach the guest
xdotool windowactivate --sync "$WIN" 2>/dev/null
xdotool key --window "$WIN" x
check "a key typed into the view reaches the guest" wait_line 20 "$SERIAL" '^key 2d$'

# pause from the window's shortcut pauses the VM
vm_status() { qmp "$QMP" query-status 2>/dev/null; }
xdotool key ctrl+alt+p
if wait_for 20 eval '[ "$(vm_status)" = paused ]' && wait_for 10 title_is "v: paused"; then
	ok "pause in the view pauses the VM (QEMU says paused, the title follows)"
else
	fail "pause in the view" "status $(vm_status), title $(xdotool getwindowname "$WIN")"
fi
# a resume made elsewhere (the test's monitor) shows in the title
qmp "$QMP" raw '{"execute": "cont"}' >/dev/null
check "a resume made elsewhere shows in the title" wait_for 20 title_is "v: running"

# a snapshot from the view's shortcut: the vmplay that runs the VM takes
# it (with the memory), the view says so
xdotool key ctrl+alt+s
snapshot_listed() { qemu-img snapshot -U -l "$TMP/sys.qcow2" | grep -q '^[0-9]'; }
if wait_for 90 snapshot_listed; then
	ok "a snapshot taken from the view is on the disk"
else
	fail "a snapshot taken from the view" "$(tail -n 5 "$TMP/view1.log" | tr '\n' ' ')"
fi
check "...with the VM's memory" eval "qemu-img snapshot -U -l '$TMP/sys.qcow2' | awk 'NR > 2 && \$3 != \"0\" && \$3 != \"0 B\" { found = 1 } END { exit !found }'"
if wait_line 30 "$TMP/view1.log" "Snapshot .* taken"; then
	ok "the view shows the owner's note"
else
	fail "the view shows the owner's note" "$(grep -iE 'toast|snapshot' "$TMP/view1.log" | tail -n 5 | tr '\n' ' ')"
fi
check "the VM runs on after the snapshot" wait_for 20 eval '[ "$(vm_status)" = running ]'

# closing the window leaves the VM running
"$XCLOSE" "$WIN"
if wait_exit "$VPID" 20 && [ "$EXIT_STATUS" = 0 ]; then
	ok "closing the view ends it with status 0"
else
	fail "closing the view ends it with status 0" "status ${EXIT_STATUS:-still running}"
fi
sleep 1
if alive "$HPID" && alive "$QEMU_PID" && [ "$(vm_status)" = running ]; then
	ok "the VM runs on after the view closed"
else
	fail "the VM runs on after the view closed" "vmplay $(alive "$HPID" && echo alive), status $(vm_status)"
fi

# a second look, this time by playing the file as a double-click would
spawn view2 "$VMPLAY" "$TMP/v.vmplay"
VPID=$SPAWNED_PID
if find_window '^v: running$' 30; then
	ok "playing the file of a VM running headless opens a view on it"
	check "the second view shows the guest's picture" same_picture "$QMP"
	# the guest powers off: the view closes by itself, vmplay --headless ends
	qmp "$QMP" send-key p >/dev/null
	check "the guest powering off closes the view" wait_exit "$VPID" 60
	check "...and ends the headless vmplay" wait_exit "$HPID" 60
else
	fail "playing the file of a VM running headless opens a view" "$(tail -n 5 "$TMP/view2.log")"
fi
check "no QEMU left" wait_for 10 eval '! alive "$QEMU_PID"'
finish
