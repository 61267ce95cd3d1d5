#!/bin/bash
# The guest follows the window ([display] device = virtio, resize-guest by
# default), with the Linux test guest (its KMS program applies the
# preferred mode after each hot-plug and says "kms-mode WxH" on serial),
# real QEMU, Xvfb: resizing the window to 1000x700 and then 1280x800, and
# going full-screen, makes the guest's mode that size (serial, and QEMU's
# screendump agrees) and the window shows it 1:1 (pixel-equal to the
# screendump). With resize-guest = false the guest's mode stays and the
# picture is scaled to the window.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "guest resize" "$missing missing"
	finish
fi
linux_guest_ready || { fail "Linux test guest built" "run make linux-guest"; finish; }
start_xvfb 1600x1000x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11
# full-screen needs a window manager (EWMH _NET_WM_STATE_FULLSCREEN)
start_wm
WM=$?

play() {
	local name=$1
	spawn "$name" "$VMPLAY" --trust --verbose "$VMFILE"
	VPID=$SPAWNED_PID
	VLOG=$TMP/$name.log
	wait_line 150 "$GUEST_SERIAL" '^kms-mode ' &&
		find_window "^$name: running\$" 30
}
stop() {
	kill -TERM "$VPID"; sleep 0.5; kill -TERM "$VPID" 2>/dev/null
	wait_exit "$VPID" 30
}
dump_size() {
	qmp "$GUEST_QMP" screendump "$TMP/dump.ppm" >/dev/null 2>&1 &&
		ppm size "$TMP/dump.ppm"
}
# guest_at WxH: the guest's KMS program applied it last and QEMU agrees
last_mode() { grep '^kms-mode' "$GUEST_SERIAL" | tail -n 1; }
guest_at() {
	wait_for 60 eval "[ \"\$(last_mode)\" = 'kms-mode $1' ]" || return 1
	wait_for 20 eval "[ \"\$(dump_size)\" = $1 ]"
}

linux_guest_vmfile follow
if play follow; then
	ok "Linux guest up, window shown ($(grep '^kms-mode' "$GUEST_SERIAL" | tail -n 1))"
else
	fail "Linux guest up" "$(tail -n 5 "$GUEST_SERIAL" "$VLOG" | tr '\n' ' ')"
	finish
fi
xdotool windowmove "$WIN" 0 0
for size in 1000x700 1280x800; do
	xdotool windowsize "$WIN" "${size%x*}" "${size#*x}"
	if guest_at "$size"; then
		ok "window resized to $size: the guest's mode follows (serial, screendump)"
	else
		fail "the guest's mode follows the window to $size" \
			"$(grep -E '^kms' "$GUEST_SERIAL" | tail -n 2 | tr '\n' ' ') dump $(dump_size)"
	fi
	check "the window shows the guest 1:1 at $size" same_picture "$GUEST_QMP"
done
requests=$(grep -c 'asking the guest for' "$VLOG")
[ "$requests" -le 3 ] && ok "one request per settled size ($requests)" ||
	fail "one request per settled size" "$requests requests: $(grep 'asking the guest' "$VLOG" | tr '\n' ' ')"

# full-screen: the whole 1600x1000 screen
if [ "$WM" = 0 ]; then
	xdotool windowactivate --sync "$WIN" 2>/dev/null
	xdotool key ctrl+alt+f
	if guest_at 1600x1000; then
		ok "full-screen: the guest's mode is the screen's 1600x1000"
	else
		fail "full-screen: the guest follows" "$(grep -E '^kms' "$GUEST_SERIAL" | tail -n 2 | tr '\n' ' ') dump $(dump_size)"
	fi
	check "full-screen shows the guest 1:1" same_picture "$GUEST_QMP"
else
	skip "full-screen" "no window manager (openbox)"
fi
stop

# resize-guest = false: the mode stays, the picture scales
linux_guest_vmfile fixed "resize-guest = false"
if play fixed; then
	ok "resize-guest = false: guest up"
else
	fail "resize-guest = false: guest up" "$(tail -n 3 "$VLOG" | tr '\n' ' ')"
	finish
fi
before=$(grep '^kms-mode' "$GUEST_SERIAL" | tail -n 1)
guest=$(dump_size)
xdotool windowmove "$WIN" 0 0
xdotool windowsize "$WIN" 1000 700
sleep 3
after=$(grep '^kms-mode' "$GUEST_SERIAL" | tail -n 1)
if [ "$before" = "$after" ] && [ "$(dump_size)" = "$guest" ] &&
	! grep -q 'asking the guest for' "$VLOG"; then
	ok "resize-guest = false: the guest stays at $guest"
else
	fail "resize-guest = false: the guest stays" "$before -> $after, dump $(dump_size), $(grep -c 'asking the guest' "$VLOG") requests"
fi
# scaled: the window is 1000x700, and its centre shows the guest's centre
scaled() {
	capture "$TMP/win.ppm" && [ "$(ppm size "$TMP/win.ppm")" = 1000x700 ] &&
		qmp "$GUEST_QMP" screendump "$TMP/ref.ppm" >/dev/null 2>&1 || return 1
	local gw=${guest%x*} gh=${guest#*x} a b
	# fit scaling: the guest's aspect kept, the picture centred
	a=$(ppm pixel "$TMP/ref.ppm" $((gw / 2)) $((gh / 2)))
	b=$(ppm pixel "$TMP/win.ppm" 500 350)
	python3 -c 'import sys; a=list(map(int,sys.argv[1].split())); b=list(map(int,sys.argv[2].split())); sys.exit(0 if max(abs(x-y) for x,y in zip(a,b)) <= 48 else 1)' "$a" "$b"
}
if wait_for 10 scaled; then
	ok "resize-guest = false: the picture is scaled into the 1000x700 window"
else
	fail "the picture is scaled" "window $(ppm size "$TMP/win.ppm" 2>/dev/null)"
fi
stop
finish
