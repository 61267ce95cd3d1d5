#!/bin/bash
# The player window with the test guest under Xvfb (SDL's x11 driver, real
# QEMU, TCG): pixels equal QEMU's screendump at 1:1 in every mode the guest
# switches to (1000x700 and 1920x1080 included, connection kept), keys
# typed with xdotool arrive as the right scancodes (the guest's status area
# and serial log), pointer clicks land on the guest pixel under the host
# pointer with the window scaled to another size (QEMU's input trace), and
# the window uses no CPU while the guest screen is still, and after the
# guest powers off the window stays, stopped, until it is closed (status 0).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "player with the test guest" "$missing missing"
	finish
fi
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing: run make"; finish; }
start_xvfb 2560x1600x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11

QMP=$TMP/test.qmp
SERIAL=$TMP/serial.log
TRACE=$TMP/trace.log
: >"$SERIAL"
guest_vm_text guesttest "-qmp unix:$QMP,server=on,wait=off -serial file:$SERIAL -trace input_event_abs -trace input_event_btn -D $TRACE" \
	>"$TMP/guest.vmplay"
spawn vmplay "$VMPLAY" --trust "$TMP/guest.vmplay"
VPID=$SPAWNED_PID

if find_window '^guesttest: running$' 60 && wait_line 60 "$SERIAL" '^ready '; then
	ok "window up, guest ready"
else
	fail "window up, guest ready" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
xdotool windowfocus --sync "$WIN" 2>/dev/null
check "window pixels equal the screendump (640x480, 1:1)" same_picture "$QMP"

# QEMU's side of the display path (issue 10): glibc's thresholds raised in
# its environment, and the player's VNC connection one it handed QEMU over
# QMP (add_client), not one accepted on QEMU's VNC socket
QEMU_PID=$(pgrep -P "$VPID" qemu-system)
qemu_env_has() { tr '\0' '\n' <"/proc/$QEMU_PID/environ" | grep -qx "$1"; }
vnc_clients() {
	qmp "$QMP" raw '{"execute": "query-vnc"}' |
		python3 -c 'import json, sys; print(len(json.load(sys.stdin)["clients"]))'
}
# the socket's path, from -vnc unix:PATH,...
VNC_SOCK=$(tr '\0' '\n' <"/proc/$QEMU_PID/cmdline" | sed -n 's/^unix:\(.*vnc\.sock\),.*/\1/p')
check "QEMU's environment: MALLOC_MMAP_THRESHOLD_" qemu_env_has MALLOC_MMAP_THRESHOLD_=33554432
check "QEMU's environment: MALLOC_TRIM_THRESHOLD_" qemu_env_has MALLOC_TRIM_THRESHOLD_=67108864
check "QEMU's environment: MALLOC_TOP_PAD_" qemu_env_has MALLOC_TOP_PAD_=67108864
check "QEMU serves one VNC client" test "$(vnc_clients)" = 1
check "that client is not connected through $VNC_SOCK" \
	eval "[ -n '$VNC_SOCK' ] && ! ss -xH | grep -qF '$VNC_SOCK'"

# keys: q (10/90) and Left (e0 4b / e0 cb) as set-1 scancodes
xdotool key q Left
if wait_line 20 "$SERIAL" '^key cb$'; then
	got=$(sed -n 's/^key //p' "$SERIAL" | tr '\n' ' ')
	if [ "$got" = "10 90 e0 4b e0 cb " ]; then
		ok "typed keys arrive as scancodes (serial: $got)"
	else
		fail "typed keys arrive as scancodes" "serial has: $got"
	fi
else
	fail "typed keys arrive as scancodes" "serial has: $(sed -n 's/^key //p' "$SERIAL" | tr '\n' ' ')"
fi
status_keys() {
	capture "$TMP/keys.ppm" &&
		[ "$(json_get "$(ppm status "$TMP/keys.ppm")" keys)" = "cb e0 4b e0 90 10" ]
}
if wait_for 10 status_keys; then
	ok "the window shows them in the guest's status area"
else
	fail "the window shows them in the guest's status area" "$(ppm status "$TMP/keys.ppm")"
fi

# a key held while the window loses focus is released in the guest
xdotool keydown w
if wait_line 10 "$SERIAL" '^key 11$'; then
	ROOT=$(xdotool search --maxdepth 0 --name '' | head -n 1)   # the root window
	xdotool windowfocus "$ROOT"
	check "focus lost: the held key is released in the guest" wait_line 10 "$SERIAL" '^key 91$'
else
	fail "focus lost: the held key is released in the guest" "w never arrived"
fi
xdotool keyup w
xdotool windowfocus --sync "$WIN" 2>/dev/null

# resolution switches, the connection intact and the window following 1:1
for step in "2 800x600" "4 1000x700" "5 1920x1080" "7 2560x1440" "3 1024x768" "6 720x400" "4 1000x700"; do
	key=${step%% *} mode=${step#* }
	n=$(grep -c "^mode $mode\$" "$SERIAL")
	xdotool key "$key"
	if wait_for 30 eval "[ \$(grep -c '^mode $mode\$' '$SERIAL') -gt $n ]" &&
		same_picture "$QMP" 20; then
		ok "mode $mode: window pixels equal the screendump"
	else
		fail "mode $mode: window pixels equal the screendump" "window $(xdotool getwindowgeometry "$WIN" | sed -n 's/.*Geometry: //p')"
	fi
done
check "the VNC connection survived" eval "! grep -q 'VNC connection closed\|Lost the connection' '$TMP/vmplay.log'"

# pointer: guest at 1024x768, window squeezed to 700x400 (fit: letterbox)
xdotool key 3
wait_for 30 eval "[ \$(grep -c '^mode 1024x768\$' '$SERIAL') -ge 2 ]"
same_picture "$QMP" 20   # the window has followed the guest (1:1)
xdotool windowsize --sync "$WIN" 700 400
check "window resized to 700x400" wait_for 10 eval "xdotool getwindowgeometry '$WIN' | grep -q 'Geometry: 700x400'"
# The test guest drives no USB, so the PS/2 mouse stays QEMU's active mouse;
# a real OS activates the tablet when its driver loads. Do that by hand.
TABLET=$(qmp "$QMP" hmp "info mice" | sed -n 's/^[* ]*Mouse #\([0-9]*\):.*Tablet.*/\1/p')
check "USB tablet made the active mouse" qmp "$QMP" hmp "mouse_set ${TABLET:-none}"
# fit: scale min(700/1024, 400/768) = 0.5208; picture 533x400 at x = 83
click_lands() {
	local wx=$1 wy=$2 gx=$3 gy=$4 from x y ex ey
	from=$(wc -l <"$TRACE")
	xdotool mousemove --window "$WIN" "$wx" "$wy" click 1
	wait_for 10 eval "tail -n +$((from + 1)) '$TRACE' | grep -q 'button left, down 0'" || return 1
	# the last absolute position before this click's button press
	tail -n +$((from + 1)) "$TRACE" | sed '/button left, down 1/q' >"$TRACE.click"
	x=$(grep 'axis x' "$TRACE.click" | tail -n 1 | sed 's/.*value 0x//')
	y=$(grep 'axis y' "$TRACE.click" | tail -n 1 | sed 's/.*value 0x//')
	[ -n "$x" ] && [ -n "$y" ] || { echo "no position in the trace" >&2; return 1; }
	x=$((16#$x)) y=$((16#$y))
	# QEMU scales guest pixels to 0..0x7fff: value = g * 0x7fff / size;
	# allow a guest pixel of rounding (32 units at this size)
	ex=$((gx * 32767 / 1024)) ey=$((gy * 32767 / 768))
	echo "abs $x,$y expected $ex,$ey" >&2
	[ $((x - ex)) -le 48 ] && [ $((ex - x)) -le 48 ] &&
		[ $((y - ey)) -le 48 ] && [ $((ey - y)) -le 48 ]
}
# window (350,200) is the picture's centre: guest (512,384)
check "click at the picture's centre lands at guest 512,384" click_lands 350 200 512 384
# window (183,100): guest ((183-83)*1024/533, 100*768/400) = (192,192)
check "click at window 183,100 lands at guest 192,192" click_lands 183 100 192 192
# window (20,380) is in the left letterbox bar: clamped to the left edge
check "click in the letterbox bar lands on the guest's edge (0,729)" click_lands 20 380 0 729

# a still guest screen costs nothing: vmplay sleeps in poll()
sleep 1
t0=$(awk '{print $14 + $15}' "/proc/$VPID/stat")
sleep 5
t1=$(awk '{print $14 + $15}' "/proc/$VPID/stat")
ms=$(((t1 - t0) * 1000 / $(getconf CLK_TCK)))
if [ "$ms" -le 50 ]; then
	ok "idle: vmplay used ${ms} ms of CPU in 5 s"
else
	fail "idle: vmplay uses (almost) no CPU" "${ms} ms in 5 s"
fi

# the guest powers off: the window stays, stopped, and QEMU is gone;
# closing it then ends vmplay with status 0
QPID=$(qemu_of "$VPID")
xdotool key p
check "guest power-off: the window stays, titled 'guesttest: stopped'" \
	wait_for 60 title_is "guesttest: stopped"
check "no QEMU left" wait_for 10 eval "! alive ${QPID:-0}"
"$XCLOSE" "$WIN" >/dev/null 2>&1
if wait_exit "$VPID" 20 && [ "$EXIT_STATUS" = 0 ]; then
	ok "closing the stopped window ends vmplay with status 0"
else
	fail "closing the stopped window ends vmplay with status 0" "status ${EXIT_STATUS:-still running}"
fi
finish
