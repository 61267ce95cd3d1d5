#!/bin/bash
# Snapshots with memory while the clipboard is shared, on the Linux test
# guest in a real window (Xvfb): QEMU 7.2's qemu-vdagent blocks saving or
# loading a running VM's memory, so vmplay unplugs the agent's port and
# chardev around the job and plugs them back (src/vm/vm_agent.c); the
# guest's agent sees the port go and come back and opens it again.
# Proven: the clipboard works; "Take snapshot now" from the menu makes a
# snapshot with memory that QEMU lists; the clipboard works both ways after
# it; restoring it from the menu brings the guest back to that moment (a
# file made after the snapshot is gone) and the clipboard works both ways
# after that too. The same from the terminal: `vmplay snapshot take` and
# `restore` against the running window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "clipboard and snapshots" "$missing missing"
	finish
fi
command -v xclip >/dev/null || { skip "clipboard and snapshots" "xclip missing"; finish; }
linux_guest_ready || { fail "Linux test guest built" "run make linux-guest"; finish; }
start_xvfb || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11 XDG_STATE_HOME=$TMP/state

hex() { od -An -tx1 | tr -d ' \n'; }
host_clip() { xclip -selection clipboard -o 2>/dev/null; }
set_host_clip() { xclip -selection clipboard -i; }
tq() { qmp "$GUEST_QMP" "$@"; }

# The clipboard's default with the virtio display is on: no [clipboard].
linux_guest_vmfile clipsnap
qemu-img create -q -f qcow2 "$TMP/sys.qcow2" 32M
printf '\n[disk.system]\nfile = sys.qcow2\n' >>"$VMFILE"
spawn clipsnap "$VMPLAY" --trust --verbose "$VMFILE"
VPID=$SPAWNED_PID
VLOG=$TMP/clipsnap.log
if wait_line 150 "$GUEST_SERIAL" '^kms-mode ' && find_window '^clipsnap: running$' 30 &&
	wait_line 30 "$GUEST_SERIAL" '^agent-up '; then
	ok "Linux guest up with its agent, window shown"
else
	fail "Linux guest up with its agent" "$(tail -n 5 "$GUEST_SERIAL" "$VLOG" | tr '\n' ' ')"
	finish
fi
xdotool windowfocus --sync "$WIN" 2>/dev/null

# to_guest LABEL TEXT: host text arrives in the guest byte for byte
to_guest() {
	printf '%s' "$2" | set_host_clip
	local want="clip-in $(printf '%s' "$2" | wc -c) $(printf '%s' "$2" | hex)"
	if wait_line 30 "$GUEST_SERIAL" "^$want\$"; then
		ok "$1: host text arrives in the guest"
	else
		fail "$1: host text arrives in the guest" "guest saw: $(grep '^clip' "$GUEST_SERIAL" | tail -n 3 | tr '\n' ' ')"
	fi
}
# to_host LABEL TEXT (ASCII): guest text arrives on the host
to_host() {
	guest_run "printf '%s' '$2' > /tmp/g; echo set /tmp/g > /run/clip.ctl"
	host_has() { [ "$(host_clip)" = "$1" ]; }
	if wait_for 40 host_has "$2"; then
		ok "$1: guest text arrives on the host"
	else
		fail "$1: guest text arrives on the host" "host has: $(host_clip | head -c 80)"
	fi
}
# agents_up: how many times the guest's agent has announced itself
agents_up() { grep -c '^agent-up ' "$GUEST_SERIAL"; }

to_guest "before the snapshot" 'avant: héllo 中文 😀'
to_host "before the snapshot" 'guest says one'

# Menu > Snapshots > Take snapshot now
ups=$(agents_up)
xdotool key ctrl+alt+m; sleep 1
xdotool key Down Down Down Down Return; sleep 1
xdotool key Return
if wait_line 120 "$VLOG" 'Snapshot .* taken in [0-9.]+ s'; then
	ok "the menu's Take snapshot now takes a snapshot with the clipboard on"
else
	fail "the menu takes a snapshot with the clipboard on" "$(grep -iE 'snapshot|clipboard' "$VLOG" | tail -n 3 | tr '\n' ' ')"
fi
capture "$TMP/taken.png"
SNAP=$(grep -oE 'Snapshot .* taken in' "$VLOG" | tail -n 1 | sed -E 's/^Snapshot (.*) taken in$/\1/')
xdotool key Escape; sleep 0.5
snap_listed() { tq hmp "info snapshots" | grep -F -- "$SNAP" | grep -qE ' [1-9][0-9.]* [KMG]i?B '; }
check "QEMU lists snapshot '$SNAP' with its memory" snap_listed
agent_back() { [ "$(agents_up)" -gt "$ups" ]; }
check "the guest saw its port go and come back" wait_for 30 agent_back
grep -q '^agent-gone$' "$GUEST_SERIAL" && ok "the guest's agent reported the unplug" ||
	fail "the guest's agent reported the unplug" "$(tail -n 5 "$GUEST_SERIAL" | tr '\n' ' ')"
grep -q 'Cannot take a snapshot' "$VLOG" && fail "no refusal note" "$(grep 'Cannot take' "$VLOG")" ||
	ok "no refusal note"

to_guest "after the snapshot" 'après: ½ € 漢字 🎉'
to_host "after the snapshot" 'guest says two'

# Something to undo: a file the restore must take away.
guest_run "echo later > /tmp/marker"

# Menu > Snapshots > the snapshot (after the two Take items) > Restore >
# confirm (the confirmation starts on Cancel)
ups=$(agents_up)
xdotool key ctrl+alt+m; sleep 1
xdotool key Down Down Down Down Return; sleep 1
xdotool key Down Down Return; sleep 1
xdotool key Return; sleep 1
capture "$TMP/confirm.png"
xdotool key Down Return
if wait_line 120 "$VLOG" "Snapshot $SNAP restored"; then
	ok "the menu restores the snapshot with the clipboard on"
else
	fail "the menu restores the snapshot" "$(grep -iE 'snapshot|restore' "$VLOG" | tail -n 3 | tr '\n' ' ')"
fi
xdotool key Escape; sleep 0.5
check "the VM runs after the restore" wait_for 20 eval '[ "$(tq query-status)" = running ]'
check "the guest's agent is back after the restore" wait_for 30 agent_back
guest_run "[ -e /tmp/marker ] && echo marker-present || echo marker-absent"
grep -q '^marker-absent$' "$GUEST_SERIAL" && ok "the guest is back at the snapshot's moment" ||
	fail "the guest is back at the snapshot's moment" "$(grep '^marker-' "$GUEST_SERIAL")"

to_guest "after the restore" 'restauré: ✓ テキスト'
to_host "after the restore" 'guest says three'

# From the terminal, against the running window: the same job.
ups=$(agents_up)
if "$VMPLAY" snapshot take "$VMFILE" from-cli >"$TMP/cli.out" 2>"$TMP/cli.err" &&
	grep -q '^Snapshot from-cli taken in' "$TMP/cli.out"; then
	ok "vmplay snapshot take on the running window's VM"
else
	fail "vmplay snapshot take on the running window's VM" "$(cat "$TMP/cli.out" "$TMP/cli.err")"
fi
cli_listed() { "$VMPLAY" snapshot list "$VMFILE" | grep -qE '^  from-cli +.* [1-9][0-9.]*[KMG]'; }
check "vmplay snapshot list shows it with its memory while the VM runs" cli_listed
check "the guest's agent is back after the terminal's take" wait_for 30 agent_back
to_guest "after the terminal's take" 'terminal: ünïcode ✓'
guest_run "echo later > /tmp/marker2"
ups=$(agents_up)
if "$VMPLAY" snapshot restore "$VMFILE" from-cli >"$TMP/cli.out" 2>"$TMP/cli.err" &&
	grep -q '^Snapshot from-cli restored$' "$TMP/cli.out"; then
	ok "vmplay snapshot restore on the running window's VM"
else
	fail "vmplay snapshot restore on the running window's VM" "$(cat "$TMP/cli.out" "$TMP/cli.err")"
fi
check "the guest's agent is back after the terminal's restore" wait_for 30 agent_back
guest_run "[ -e /tmp/marker2 ] && echo marker2-present || echo marker2-absent"
grep -q '^marker2-absent$' "$GUEST_SERIAL" && ok "the terminal's restore took the guest back" ||
	fail "the terminal's restore took the guest back" "$(grep '^marker2-' "$GUEST_SERIAL")"
to_host "after the terminal's restore" 'guest says four'
alive "$VPID" && ok "vmplay still runs" || fail "vmplay still runs"
kill -TERM "$VPID"; sleep 0.5; kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30
finish
