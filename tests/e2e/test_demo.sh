#!/bin/bash
# The demo (issue 16 item 13): configs/demo.vmplay left untouched for 35 s
# (longer than a boot menu's usual 30 s timeout) still shows a working
# screen that keeps changing (memtest86+ at its start screen, its clock
# running), not a boot failure.
# Played headless with a QMP monitor of the test's own added to a copy.
. "$(dirname "$0")/lib.sh"

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
iso=$(sed -n 's/^file *= *//p' "$ROOT/configs/demo.vmplay" | head -n 1)
[ -f "$iso" ] || { skip "demo" "$iso missing (make demo installs it)"; finish; }
QMP=$TMP/demo.qmp
{ cat "$ROOT/configs/demo.vmplay"; printf '\n[qemu]\nargs = -qmp unix:%s,server=on,wait=off\n' "$QMP"; } >"$TMP/demo.vmplay"
check "the demo VM file loads" "$VMPLAY" --dry-run "$TMP/demo.vmplay"
VMPLAY_POWERDOWN_TIMEOUT=1 spawn demo "$VMPLAY" --headless --trust "$TMP/demo.vmplay"
DPID=$SPAWNED_PID
wait_socket 30 "$QMP" || { fail "the demo starts" "$(tail -n 3 "$TMP/demo.log")"; finish; }
sleep 35
check "the demo still runs after 35 s untouched" alive "$DPID"
qmp "$QMP" screendump "$TMP/a.ppm" >/dev/null
sleep 3
qmp "$QMP" screendump "$TMP/b.ppm" >/dev/null
# A working screen: far from black, and changing (memtest's counters).
lit=$(convert "$TMP/a.ppm" -colorspace gray -format '%[fx:mean]' info: 2>/dev/null)
check "the screen shows something (mean brightness $lit)" \
	python3 -c "import sys; sys.exit(0 if float('${lit:-0}') > 0.05 else 1)"
check "the screen keeps changing (the program works)" \
	eval "! compare -metric AE '$TMP/a.ppm' '$TMP/b.ppm' null: >/dev/null 2>&1"
convert "$TMP/a.ppm" "$TMP/demo.png" 2>/dev/null && [ -n "${DEMO_SHOT:-}" ] && cp "$TMP/demo.png" "$DEMO_SHOT"
kill -TERM "$DPID"; wait_exit "$DPID" 30
finish
