#!/bin/bash
# Issue 16 item 7: a guest that switches to a mode larger than the work
# area (the Linux test guest's 1280x800 on a 1024x768 screen, with
# resize-guest = false so the guest keeps it) makes the window the
# largest that fits inside the screen, and the picture is scaled to it (real QEMU, Xvfb,
# openbox managing the window as a desktop would).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "window inside the work area" "$missing missing"
	finish
fi
linux_guest_ready || { fail "Linux test guest built" "run make linux-guest"; finish; }
start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11
start_wm
[ $? = 0 ] || { skip "window inside the work area" "no window manager (openbox)"; finish; }

linux_guest_vmfile big "resize-guest = false"
spawn big "$VMPLAY" --trust --verbose "$VMFILE"
VPID=$SPAWNED_PID
if wait_line 150 "$GUEST_SERIAL" '^kms-mode 1280x800' && find_window '^big: running$' 30; then
	ok "the guest is in 1280x800 on a 1024x768 screen"
else
	fail "the guest comes up in 1280x800" "$(tail -n 3 "$GUEST_SERIAL" "$TMP/big.log" | tr '\n' ' ')"
	finish
fi
# the frame included: xwininfo's outer corners on the root window
inside() {
	local geo x y w h
	geo=$(xwininfo -id "$WIN" -frame 2>/dev/null) || return 1
	x=$(sed -n 's/.*Absolute upper-left X: *//p' <<<"$geo")
	y=$(sed -n 's/.*Absolute upper-left Y: *//p' <<<"$geo")
	w=$(sed -n 's/.*Width: *//p' <<<"$geo")
	h=$(sed -n 's/.*Height: *//p' <<<"$geo")
	echo "${w}x$h+$x+$y"
	[ "$x" -ge 0 ] && [ "$y" -ge 0 ] && [ $((x + w)) -le 1024 ] && [ $((y + h)) -le 768 ] &&
		{ [ "$w" -ge 1000 ] || [ "$h" -ge 740 ]; }
}
sleep 3   # let a wrong resize happen, if one would
if inside >/dev/null; then
	ok "the window is the largest that fits the 1024x768 screen ($(inside))"
else
	fail "the window is the largest that fits the screen" "$(inside)"
fi
# and shows the whole guest, scaled down: the guest's centre is the
# window's centre
scaled_whole() {
	capture "$TMP/win.ppm" && qmp "$GUEST_QMP" screendump "$TMP/ref.ppm" >/dev/null 2>&1 || return 1
	local size ww wh a b
	size=$(ppm size "$TMP/win.ppm")
	ww=${size%x*} wh=${size#*x}
	[ "$ww" -lt 1280 ] && [ "$wh" -lt 800 ] || return 1
	a=$(ppm pixel "$TMP/ref.ppm" 640 400)
	b=$(ppm pixel "$TMP/win.ppm" $((ww / 2)) $((wh / 2)))
	python3 -c 'import sys; a=list(map(int,sys.argv[1].split())); b=list(map(int,sys.argv[2].split())); sys.exit(0 if max(abs(x-y) for x,y in zip(a,b)) <= 48 else 1)' "$a" "$b"
}
check "the whole guest is shown, scaled into the window" wait_for 10 scaled_whole
kill -TERM "$VPID"; sleep 0.5; kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30
finish
