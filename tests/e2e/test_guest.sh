#!/bin/bash
# The test guest under plain QEMU (no vmplay): its screen matches the picture
# documented in tests/guest/README.md, keys sent through QMP show in the
# status area and on the serial port, every mode gives the right screendump
# size and picture, the animation changes every pixel, and 'p' powers off
# with exit status 0. Runs on machine pc, then briefly on q35; also checks
# the library helpers (PNG and scaled captures, Xvfb, guest_vmfile with
# vmplay --headless).
# Functions below run through check/wait_for, which shellcheck cannot see.
# shellcheck disable=SC2317
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# status_is FILE KEY VALUE: one field of the decoded status area.
status_is() {
	local st got
	st=$(ppm status "$1") || { echo "status area not valid: $st"; return 1; }
	got=$(json_get "$st" "$2")
	[ "$got" = "$3" ] || { echo "$2 is '$got', want '$3'"; return 1; }
}

shot() { qmp "$GUEST_QMP" screendump "$TMP/$1.ppm"; }

boot_guest pc -M pc || { fail "boot on pc" "no ready line"; finish; }
ok "boot on pc: serial says ready 640x480"
check "serial starts with the banner" \
	grep -qx 'boot vmplay-test-guest 1' "$GUEST_SERIAL"

shot boot
check "boot screendump is 640x480" test "$(ppm size "$TMP/boot.ppm")" = 640x480
check "boot status: no keys, count 0" status_is "$TMP/boot.ppm" count 0
check "boot status: mode 640x480" status_is "$TMP/boot.ppm" width 640
check "boot picture matches the documented one pixel for pixel" \
	ppm picture "$TMP/boot.ppm"
ppm expected 640 480 "$TMP/expected.ppm"
check "boot screendump equals ppm.py expected (status area included)" \
	ppm compare "$TMP/boot.ppm" "$TMP/expected.ppm"

# The library itself: PNG screendumps read the same, a scaled capture
# still decodes, a one-pixel shift is caught.
qmp "$GUEST_QMP" screendump "$TMP/boot.png"
check "ppm.py reads QEMU's PNG screendump like its PPM" \
	ppm compare "$TMP/boot.ppm" "$TMP/boot.png"
convert "$TMP/boot.ppm" -filter point -resize 200% "$TMP/boot2x.ppm"
check "status area decodes from a 2x capture" \
	ppm status "$TMP/boot2x.ppm" --scale 2
convert "$TMP/boot.ppm" -filter triangle -resize 73% -bordercolor black \
	-border 37x11 "$TMP/boot-window.ppm"
check "status --auto finds a smoothed, scaled, letterboxed status area" \
	ppm status "$TMP/boot-window.ppm" --auto yes
check "compare with --offset 1,0 sees a one-pixel shift" \
	sh -c "! python3 '$PPM_PY' compare '$TMP/boot.ppm' '$TMP/boot.ppm' \
		--crop 0,0,600,480 --offset 1,0 >/dev/null"

# b (30), then keypad Enter (e0 1c): neither does anything, all bytes count.
qmp "$GUEST_QMP" send-key b kp_enter
if wait_line 20 "$GUEST_SERIAL" '^key 9c$'; then
	ok "serial shows the last key byte"
else
	fail "serial shows the last key byte" "$(tail -n 3 "$GUEST_SERIAL" | tr '\n' ' ')"
fi
check "serial lists every byte in order" test \
	"$(grep '^key ' "$GUEST_SERIAL" | tr '\n' ' ')" = \
	"key 30 key b0 key e0 key 1c key e0 key 9c "
shot keys
check "status area: last 6 bytes, most recent first" \
	status_is "$TMP/keys.ppm" keys "9c e0 1c e0 b0 30"
check "status area: count 6" status_is "$TMP/keys.ppm" count 6
check "keys changed nothing outside the status area" ppm picture "$TMP/keys.ppm"

for spec in 2:800x600 3:1024x768 4:1000x700 5:1920x1080 7:2560x1440 6:720x400 1:640x480; do
	key=${spec%%:*} size=${spec#*:}
	qmp "$GUEST_QMP" send-key "$key"
	if ! wait_line 30 "$GUEST_SERIAL" "^mode $size\$"; then
		fail "key $key: mode $size" "no serial line"
		continue
	fi
	shot "mode$key"
	check "key $key: screendump is $size" \
		test "$(ppm size "$TMP/mode$key.ppm")" = "$size"
	check "key $key: $size picture matches" ppm picture "$TMP/mode$key.ppm"
done

qmp "$GUEST_QMP" send-key a
check "a starts the animation" wait_line 20 "$GUEST_SERIAL" '^anim on$'
shot anim1
f1=$(json_get "$(ppm status "$TMP/anim1.ppm")" frame)
# A frame at least two later: a screendump taken while a frame is being
# drawn mixes two frames, so one frame apart could share pixels.
frame_advanced() {
	local f
	shot anim2 || return 1
	f=$(json_get "$(ppm status "$TMP/anim2.ppm")" frame)
	[ $(((f - f1 + 256) % 256)) -ge 2 ]
}
check "animation: the frame counter advances" wait_for 20 frame_advanced
check "animation status: on" status_is "$TMP/anim2.ppm" anim true
# Paced by the PIT at 30 frames/s: never faster (a loaded host may make
# it much slower, so the lower bound only says it moves, and a slow
# measurement is taken again).
frame_rate_ok() {
	local a b t0 t1 fps
	shot rate1 && t0=$(date +%s%N) || return 1
	a=$(json_get "$(ppm status "$TMP/rate1.ppm")" frame)
	sleep 2
	shot rate2 && t1=$(date +%s%N) || return 1
	b=$(json_get "$(ppm status "$TMP/rate2.ppm")" frame)
	fps=$(((b - a + 256) % 256 * 1000000000 / (t1 - t0)))
	echo "$fps frames/s"
	[ "$fps" -ge 1 ] && [ "$fps" -le 36 ]
}
check "animation runs at 1..36 frames/s (30 nominal)" wait_for 10 frame_rate_ok
check "animation: every pixel below the status row changed" \
	test "$(ppm compare "$TMP/anim1.ppm" "$TMP/anim2.ppm" --crop 0,16,640,464 |
		sed -n 1p)" = "$((640 * 464)) differing of $((640 * 464))"
check "animation: every pixel right of the status area changed" \
	test "$(ppm compare "$TMP/anim1.ppm" "$TMP/anim2.ppm" --crop 224,0,416,16 |
		sed -n 1p)" = "$((416 * 16)) differing of $((416 * 16))"
qmp "$GUEST_QMP" send-key a
check "a again stops it" wait_line 20 "$GUEST_SERIAL" '^anim off$'
shot still
check "the still picture is back" ppm picture "$TMP/still.ppm"

ev=$(qmp "$GUEST_QMP" send-key p -- wait-event SHUTDOWN 30)
check "p: SHUTDOWN with reason guest-shutdown" \
	grep -q '"reason": "guest-shutdown"' <<<"$ev"
if wait_exit "$GUEST_PID" 30; then
	check "p: QEMU exits with status 0" test "$EXIT_STATUS" -eq 0
else
	fail "p: QEMU exits with status 0" "still running after 30 s"
fi
check "serial ends with poweroff" test "$(tail -n 1 "$GUEST_SERIAL")" = poweroff

check "start_xvfb gives a private X display" start_xvfb
check "the X display answers" xdotool getdisplaygeometry
capture_root() {
	capture_window root "$TMP/root.ppm" &&
		test "$(ppm size "$TMP/root.ppm")" = 1280x1024
}
check "capture_window root gives the 1280x1024 screen" capture_root

# guest_vmfile: the same guest through vmplay --headless.
guest_vmfile vmplay
spawn vmplay "$VMPLAY" --trust --headless "$VMFILE"
vmplay_pid=$SPAWNED_PID
check "guest_vmfile: vmplay --headless boots the guest" \
	wait_line 60 "$GUEST_SERIAL" '^ready 640x480$'
qmp "$GUEST_QMP" send-key p
if wait_exit "$vmplay_pid" 30; then
	check "guest_vmfile: p ends vmplay with status 0" test "$EXIT_STATUS" -eq 0
else
	fail "guest_vmfile: p ends vmplay with status 0" "still running after 30 s"
fi

# q35: another PCI layout; the same framebuffer search must find the VGA.
boot_guest q35 -M q35 || { fail "boot on q35" "no ready line"; finish; }
ok "boot on q35"
shot q35
check "q35 picture matches" ppm picture "$TMP/q35.ppm"
qmp "$GUEST_QMP" send-key 4
wait_line 30 "$GUEST_SERIAL" '^mode 1000x700$'
shot q35m
check "q35: key 4 gives 1000x700" test "$(ppm size "$TMP/q35m.ppm")" = 1000x700
qmp "$GUEST_QMP" send-key p
if wait_exit "$GUEST_PID" 30; then
	check "q35: p exits with status 0" test "$EXIT_STATUS" -eq 0
else
	fail "q35: p exits with status 0" "still running after 30 s"
fi
finish
