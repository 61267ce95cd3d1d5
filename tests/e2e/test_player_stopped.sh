#!/bin/bash
# The window outlives the VM (issue 9): after the guest powers off (QMP
# system_powerdown, which the test guest ignores, then `quit` from the
# test's own monitor) the window stays with the title "NAME: stopped" over
# the last frame, dimmed; the Settings page changes the VM file through the
# same checked writer as `vmplay set` (a bad value is refused with the
# reader's message and the file untouched; --dry-run then shows the new
# -m/-smp); the Snapshots page deletes a snapshot offline (qemu-img); Enter
# on Run starts a new QEMU (new pid) whose screen comes back, equal to its
# screendump; closing the stopped window ends vmplay with status 0; and
# with --exit-on-poweroff the guest's power-off ends vmplay with status 0
# as before.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "the stopped screen" "$missing missing"
	finish
fi
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing: run make"; finish; }
start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config
mkdir -p "$XDG_CONFIG_HOME"

QMP=$TMP/test.qmp
SERIAL=$TMP/serial.log
VMFILE=$TMP/stoptest.vmplay
qemu-img create -q -f qcow2 "$TMP/system.qcow2" 16M
qemu-img snapshot -c before "$TMP/system.qcow2"
{
	echo "; the test guest, with a comment that must survive"
	guest_vm_text stoptest "-qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL"
	printf '\n[disk.system]\nfile = system.qcow2   ; kept as is\nformat = qcow2\n'
} >"$VMFILE"
cp "$VMFILE" "$TMP/original.vmplay"

: >"$SERIAL"
spawn vmplay "$VMPLAY" --verbose --trust "$VMFILE"
VPID=$SPAWNED_PID
if find_window '^stoptest: running$' 60 && wait_line 60 "$SERIAL" '^ready '; then
	ok "window up, guest ready"
else
	fail "window up, guest ready" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
QPID1=$(qemu_of "$VPID")
check "window pixels equal the screendump" same_picture "$QMP"
capture "$TMP/running.ppm"

# ---- Settings while it runs: written now, applies at the next start ----
xdotool windowfocus --sync "$WIN" 2>/dev/null
xdotool key ctrl+alt+m
sleep 0.5
xdotool key --delay 120 End Up Up Return   # Settings (above Screenshot, Quit)
sleep 0.5
xdotool key Return                         # Memory
sleep 0.3
xdotool type --delay 80 "80M"
xdotool key Return
check "running: the page writes memory = 80M" wait_for 10 grep -q '^memory = 80M$' "$VMFILE"
check "  ... and says it applies at the next start" \
	wait_for 5 grep -q "Memory: 80M (applies at the next start)" "$TMP/vmplay.log"
check "  ... the running QEMU keeps its 64M" eval "tr '\\0' ' ' </proc/$QPID1/cmdline | grep -qE -- '-m 64M'"
xdotool key Escape Escape
sleep 0.5
check "the menu closed: the window shows the guest again" same_picture "$QMP"

# ---- the guest powers off: the window stays ----
qmp "$QMP" system_powerdown >/dev/null 2>&1
sleep 1
qmp "$QMP" raw '{"execute": "quit"}' >/dev/null 2>&1
check "after power-off the title is 'stoptest: stopped'" wait_for 30 title_is "stoptest: stopped"
check "QEMU is gone" wait_for 20 eval "! alive ${QPID1:-0}"
check "vmplay still runs" alive "$VPID"
# the library tells a window on a stopped VM from a running VM
list_state() { "$VMPLAY" list 2>/dev/null | awk -v f="$VMFILE" '$NF == f { print $2 }'; }
check "vmplay list: the stopped VM is off (its window open)" wait_for 10 eval '[ "$(list_state)" = off ]'
sleep 1
capture "$TMP/stopped.ppm"
import -window "$WIN" "$TMP/stopped.png" 2>/dev/null
# the picture is the last frame, dimmed (darker), with the menu over it
if python3 - "$TMP/running.ppm" "$TMP/stopped.ppm" <<'PY'
import sys
def read(p):
    d = open(p, "rb").read()
    parts = d.split(maxsplit=4)
    return parts[4]
a, b = read(sys.argv[1]), read(sys.argv[2])
# compare a corner strip that the menu panel does not cover
n = min(len(a), len(b)) // 20
ma = sum(a[:n]) / n
mb = sum(b[:n]) / n
sys.exit(0 if mb < ma * 0.7 and mb > 0 else 1)
PY
then
	ok "the stopped screen is the last frame, dimmed"
else
	fail "the stopped screen is the last frame, dimmed"
fi
check "the stopped page shows (log)" grep -q "stoptest: stopped" "$TMP/vmplay.log"

# ---- Settings through the window ----
cp "$VMFILE" "$TMP/before-stopped.vmplay"
xdotool windowfocus --sync "$WIN" 2>/dev/null
key() { xdotool key --delay 120 "$@"; sleep 0.4; }
key Down Return            # Settings
key Return                 # Memory
xdotool type --delay 80 "banana"
key Return
sleep 1
import -window "$WIN" "$TMP/settings-error.png" 2>/dev/null
check "a bad memory value leaves the file untouched" cmp -s "$VMFILE" "$TMP/before-stopped.vmplay"
check "  ... and says why (the reader's message)" grep -q "vm.memory not changed: .*memory: 'banana' is not a size" "$TMP/vmplay.log"
key ctrl+u
xdotool type --delay 80 "96M"
key Return
check "memory 96M written" wait_for 10 grep -q '^memory = 96M$' "$VMFILE"
key Down Return            # CPUs
xdotool type --delay 80 "2"
key Return
check "cpus 2 written" wait_for 10 grep -q '^cpus = 2$' "$VMFILE"
sleep 0.5
import -window "$WIN" "$TMP/settings.png" 2>/dev/null
d=$(diff "$TMP/original.vmplay" "$VMFILE" | grep '^[<>]' | sort | tr '\n' '|')
if [ "$d" = "< memory = 64M|> cpus = 2|> memory = 96M|" ]; then
	ok "the page changed exactly those lines (comments kept)"
else
	fail "the page changed exactly those lines" "$d"
fi
out=$("$VMPLAY" --dry-run --trust "$VMFILE" 2>/dev/null)
check "--dry-run shows -m 96M" eval "printf '%s' \"\$out\" | grep -qE -- '-m 96M( |\$)'"
check "--dry-run shows -smp 2" eval "printf '%s' \"\$out\" | grep -qE -- '-smp 2( |\$)'"
key Escape                 # back to the stopped page

# ---- Snapshots offline: delete "before" through the page ----
key Down Down Return       # Snapshots
key Down Down Return       # "before"
key Down Return            # Delete -> confirmation (on Cancel)
key Down Return            # Delete
if wait_for 15 eval '! qemu-img snapshot -l "$TMP/system.qcow2" | grep -q before'; then
	ok "Snapshots page: 'before' deleted offline (qemu-img)"
else
	fail "Snapshots page: 'before' deleted offline" "$(qemu-img snapshot -l "$TMP/system.qcow2"; tail -n 3 "$TMP/vmplay.log")"
fi
check "  ... with a note" grep -q "Snapshot before deleted" "$TMP/vmplay.log"
key Escape Escape Escape

# ---- Run reads the file again: a missing ISO keeps it stopped, says why ----
"$VMPLAY" set "$VMFILE" cdrom.file=missing.iso
key Home Return
check "Run with a missing ISO: still stopped" wait_for 10 grep -q "cdrom: .*missing.iso does not exist" "$TMP/vmplay.log"
check "  ... the title still says stopped" title_is "stoptest: stopped"
"$VMPLAY" set "$VMFILE" --unset cdrom.file
sed -i '/^\[cdrom\]$/d' "$VMFILE"

# ---- Run: a new QEMU in the same window ----
: >"$SERIAL"
key Home Return
if find_window '^stoptest: running$' 60 && wait_line 60 "$SERIAL" '^ready '; then
	ok "Enter on Run starts the VM again"
else
	fail "Enter on Run starts the VM again" "$(tail -n 5 "$TMP/vmplay.log")"
fi
QPID2=$(qemu_of "$VPID")
check "a new QEMU (pid $QPID1 -> $QPID2)" test -n "$QPID2" -a "$QPID2" != "$QPID1"
check "vmplay list: running again" wait_for 10 eval '[ "$(list_state)" = running ]'
check "  ... started with the new memory and CPUs" eval "tr '\\0' ' ' </proc/$QPID2/cmdline | grep -qE -- '-m 96M .*-smp 2'"
check "the guest's screen is back (equal to the screendump)" same_picture "$QMP"

# ---- Force off from the menu: stopped again; closing exits 0 ----
key ctrl+alt+m
key Down Down Down Return  # Force off -> confirmation
key Down Return
check "Force off: the title says stopped" wait_for 30 title_is "stoptest: stopped"
check "  ... and vmplay still runs" alive "$VPID"
"$XCLOSE" "$WIN" >/dev/null 2>&1
if wait_exit "$VPID" 20 && [ "$EXIT_STATUS" = 0 ]; then
	ok "closing the stopped window ends vmplay with status 0"
else
	fail "closing the stopped window ends vmplay with status 0" "status ${EXIT_STATUS:-running}"
fi

# ---- --exit-on-poweroff keeps today's behaviour ----
: >"$SERIAL"
spawn vmplay2 "$VMPLAY" --trust --exit-on-poweroff "$VMFILE"
VPID=$SPAWNED_PID
if find_window '^stoptest: running$' 60 && wait_line 60 "$SERIAL" '^ready '; then
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key p
	if wait_exit "$VPID" 60 && [ "$EXIT_STATUS" = 0 ]; then
		ok "--exit-on-poweroff: guest power-off ends vmplay with status 0"
	else
		fail "--exit-on-poweroff: guest power-off ends vmplay with status 0" "status ${EXIT_STATUS:-running}"
	fi
else
	fail "--exit-on-poweroff: VM starts" "$(tail -n 3 "$TMP/vmplay2.log")"
fi
finish
