#!/bin/bash
# Issue 16 item 2 in the real window: a disk-only snapshot (vmplay
# snapshot take) is listed as "disks only" and restored from the menu while
# the VM runs: the confirmation says the VM restarts, QEMU stops, the disk
# goes back (checked with qemu-io) and the VM runs again in the same window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

have_tools || finish
[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
start_wm; [ $? = 2 ] && { skip "snapshot restart" "openbox is not installed"; finish; }
export SDL_VIDEODRIVER=x11 XDG_STATE_HOME=$TMP/state VMPLAY_POWERDOWN_TIMEOUT=1

guest_vmfile rs
qemu-img create -q -f qcow2 "$TMP/sys.qcow2" 16M
printf '\n[disk.system]\nfile = sys.qcow2\n' >>"$VMFILE"
check "a disk-only snapshot from the terminal" "$VMPLAY" snapshot take "$VMFILE" ondisk
qemu-io -f qcow2 -c "write -P 0xab 0 4k" "$TMP/sys.qcow2" >/dev/null
VMPLAY_DEBUG=1 spawn rs "$VMPLAY" --trust "$VMFILE"
VPID=$SPAWNED_PID
if ! { wait_line 60 "$GUEST_SERIAL" '^ready' && find_window "^rs: running" 30; }; then
	fail "the VM runs" "$(tail -n 5 "$TMP/rs.log")"
	finish
fi
sleep 2
xdotool windowfocus --sync "$WIN" 2>/dev/null
# Menu > Snapshots > the snapshot (after the two Take items) > Restore.
xdotool key ctrl+alt+m; sleep 1
xdotool key Down Down Down Down Return; sleep 2
xdotool key Down Down Return; sleep 1
xdotool key Return; sleep 1
capture "$TMP/confirm.png"
: >"$GUEST_SERIAL"
xdotool key Down Return
check "the guest boots again" wait_line 90 "$GUEST_SERIAL" '^ready'
check "the note says it was restored" grep -q 'Snapshot ondisk restored' "$TMP/rs.log"
check "through the stopped screen and Run" grep -q 'rs: starting again' "$TMP/rs.log"
check "the window runs it again" find_window "^rs: running" 30
kill -TERM "$VPID"; wait_exit "$VPID" 30
check "the disk is back at the snapshot (zeros)" \
	eval "qemu-io -f qcow2 -c 'read -P 0 0 4k' '$TMP/sys.qcow2' | grep -q 'read 4096/4096'"
finish
