#!/bin/bash
# vmplay import (issue 16 item 14): a VM file vmplay does not trust (its
# writable disk lies outside its folder) is copied with its disk into
# ~/.VM/NAME/, sparse disks stay sparse, paths are rewritten so the copy
# works and is trusted, the original is untouched and an existing folder is
# never overwritten. Double-clicked, the trust refusal explains the risk and
# offers the import (Enter), then plays the copy; there is no "run anyway".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

[ -f "$(guest_kernel)" ] || { fail "test guest" "missing: run make"; finish; }
export HOME=$TMP/home XDG_STATE_HOME=$TMP/state VMPLAY_POWERDOWN_TIMEOUT=1
mkdir -p "$HOME" "$TMP/dl" "$TMP/elsewhere"
qemu-img create -q -f raw "$TMP/elsewhere/big.img" 512M
make_vm() {
	guest_vm_text "$1" >"$TMP/dl/$1.vmplay"
	printf '\n[disk.data]\nfile = ../elsewhere/big.img\nformat = raw\n' >>"$TMP/dl/$1.vmplay"
}
make_vm fromweb
cp "$TMP/dl/fromweb.vmplay" "$TMP/orig.vmplay"

vm "$TMP/out" "$TMP/err" --headless "$TMP/dl/fromweb.vmplay"
check "untrusted: refused" test $? = 1
check "  ... and the message offers vmplay import" grep -q "vmplay import $TMP/dl/fromweb.vmplay" "$TMP/err"

vm "$TMP/out" "$TMP/err" import "$TMP/dl/fromweb.vmplay"
check "vmplay import exits 0" test $? = 0
D=$HOME/.VM/fromweb
check "  ... made ~/.VM/fromweb/fromweb.vmplay" test -f "$D/fromweb.vmplay"
check "  ... with a copy of the disk" cmp -s "$TMP/elsewhere/big.img" "$D/big.img"
check "  ... kept sparse" test "$(du -k "$D/big.img" | cut -f1)" -lt 1024
check "  ... the copy's file line names the copy" grep -qx "file = big.img" "$D/fromweb.vmplay"
check "  ... the kernel path is absolute" grep -qx "kernel = $(guest_kernel)" "$D/fromweb.vmplay"
check "  ... the original VM file is untouched" cmp -s "$TMP/orig.vmplay" "$TMP/dl/fromweb.vmplay"
check "  ... it says how to play it" grep -qx "play it with: vmplay $D/fromweb.vmplay" "$TMP/out"
vm "$TMP/out" "$TMP/err" --dry-run "$D/fromweb.vmplay"
check "the copy loads and uses its own disk" grep -q "file=$D/big.img" "$TMP/out"
vm "$TMP/out" "$TMP/err" import "$TMP/dl/fromweb.vmplay"
check "a second import is refused (exit 1)" test $? = 1
check "  ... never overwriting the folder" grep -q "exists already; vmplay never overwrites it" "$TMP/err"

# Double-clicked: the refusal offers the import, Enter plays the copy.
if ! have_tools >/dev/null; then
	skip "trust window" "X tools missing"
	finish
fi
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
start_wm; [ $? = 2 ] && { skip "trust window" "openbox is not installed"; finish; }
export SDL_VIDEODRIVER=x11 VMPLAY_MESSAGE_BOX=1
make_vm clicked
VMPLAY_DEBUG=1 spawn clicked "$VMPLAY" "$TMP/dl/clicked.vmplay"
VPID=$SPAWNED_PID
viewable() { xwininfo -id "$WIN" 2>/dev/null | grep -q 'IsViewable'; }
if find_window "cannot play clicked" 30 && wait_for 10 viewable; then
	ok "the trust refusal opens a window"
	sleep 0.5
	capture "$TMP/trust.png" 2>/dev/null
	[ -n "${SHOT_DIR:-}" ] && convert "$TMP/trust.png" "$SHOT_DIR/trust-import.png"
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key Return
	check "Enter imports and plays the copy" find_window "^clicked: running" 60
	check "  ... from ~/.VM/clicked" test -f "$HOME/.VM/clicked/big.img"
else
	fail "the trust refusal opens a window" "$(tail -n 5 "$TMP/clicked.log")"
fi
# The import exec'd vmplay on the copy: the same process.
kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30
finish
