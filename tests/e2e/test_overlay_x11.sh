#!/bin/bash
# The overlay menu in a real X11 window under Xvfb, driven with xdotool and
# captured with ImageMagick's import, through the overlay's stand-in player
# (tests/overlay/overlay_demo.c; no QEMU needed): the panel is drawn over the
# guest picture and nowhere else, keys and clicks go to the menu and not to
# the guest while it is open, a screenshot lands in the XDG pictures folder
# and equals the framebuffer, a path field Tab-completes, and quitting asks
# for confirmation.
set -u
BUILD=${BUILD:-build}
DEMO=$BUILD/tests/overlay-demo
pass=0
fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
check() { # check DESCRIPTION COMMAND...
	local what=$1
	shift
	if "$@"; then ok "$what"; else bad "$what"; fi
}

tmp=$(mktemp -d /tmp/vmplay-e2e-overlay-XXXXXX)
xvfb_pid= demo_pid=
cleanup() {
	[ -n "$demo_pid" ] && kill "$demo_pid" 2>/dev/null
	[ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null
	[ -n "$demo_pid" ] && wait "$demo_pid" 2>/dev/null
	[ -n "$xvfb_pid" ] && wait "$xvfb_pid" 2>/dev/null
	[ -n "${OVERLAY_KEEP:-}" ] && cp "$tmp/out.txt" "$tmp/err.txt" "$OVERLAY_KEEP"/
	rm -rf "$tmp"
}
trap cleanup EXIT

if [ ! -x "$DEMO" ]; then
	bad "the demo program $DEMO is built (make $DEMO)"
	echo "$pass passed, $fail failed"
	exit 1
fi

# Xvfb chooses a free display itself (-displayfd): helpers share the machine.
Xvfb -displayfd 3 -nolisten tcp -screen 0 1024x768x24 3>"$tmp/display" \
	>"$tmp/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 100); do [ -s "$tmp/display" ] && break; sleep 0.1; done
export DISPLAY=:$(head -n 1 "$tmp/display")
check "Xvfb started on $DISPLAY" test -s "$tmp/display"

# A home with a pictures folder named the xdg-user-dirs way.
export HOME=$tmp/home XDG_CONFIG_HOME=$tmp/home/.config
unset XDG_PICTURES_DIR
mkdir -p "$HOME/Pictures" "$XDG_CONFIG_HOME" "$tmp/vm"
echo 'XDG_PICTURES_DIR="$HOME/Pictures"' >"$XDG_CONFIG_HOME/user-dirs.dirs"
touch "$tmp/vm/debian-12.iso" "$tmp/vm/alpine.iso"

SDL_VIDEODRIVER=x11 "$DEMO" --dir "$tmp/vm" --guest "$tmp/guest.png" \
	>"$tmp/out.txt" 2>"$tmp/err.txt" &
demo_pid=$!

# Waits until the demo printed a line matching $1 (after line $2).
wait_for() {
	local pattern=$1 after=${2:-0}
	for _ in $(seq 100); do
		tail -n +$((after + 1)) "$tmp/out.txt" | grep -q -- "$pattern" && return 0
		sleep 0.1
	done
	return 1
}
lines() { wc -l <"$tmp/out.txt"; }
# Every pixel outside the panel equals the guest picture; inside, most
# differ (translucent panel) and some are text-light.
panel_check() { # capture.png reference.png x y w h
	convert "$1" -depth 8 "rgb:$tmp/a.rgb" && convert "$2" -depth 8 "rgb:$tmp/b.rgb" &&
	python3 - "$tmp/a.rgb" "$tmp/b.rgb" "$3" "$4" "$5" "$6" <<'PY'
import sys
a = open(sys.argv[1], 'rb').read(); b = open(sys.argv[2], 'rb').read()
x0, y0, w, h = map(int, sys.argv[3:7])
W, H = 640, 480
if len(a) != W * H * 3 or len(b) != W * H * 3:
    print("  sizes differ:", len(a), len(b)); sys.exit(1)
out = ins = light = 0
for y in range(H):
    for x in range(W):
        i = (y * W + x) * 3
        inside = x0 <= x < x0 + w and y0 <= y < y0 + h
        d = a[i:i+3] != b[i:i+3]
        if d and not inside: out += 1
        if d and inside: ins += 1
        if inside and sum(a[i:i+3]) > 600: light += 1
print("  panel %dx%d at %d,%d: %d pixels changed inside, %d outside, %d light" % (w, h, x0, y0, ins, out, light))
sys.exit(0 if out == 0 and ins > w * h * 0.9 and light > 500 else 1)
PY
}

check "the demo window is up" wait_for '^ready 640 480'
wid=$(xdotool search --sync --name "overlay-demo-$demo_pid" | head -n 1)
check "its X window is found" test -n "$wid"
xdotool windowfocus --sync "$wid" 2>/dev/null

import -window "$wid" "$tmp/c0.png"
check "before the menu the window shows the guest picture exactly" \
	test "$(compare -metric AE "$tmp/c0.png" "$tmp/guest.png" null: 2>&1)" = 0

n=$(lines)
xdotool key ctrl+alt+m
check "ctrl+alt+m opens the menu" wait_for '^menu open' "$n"
sleep 0.3
import -window "$wid" "$tmp/c1.png"
read -r px py pw ph < <(grep '^panel' "$tmp/out.txt" | tail -n 1 | cut -d' ' -f2-)
check "the capture shows the panel, and changes nothing outside it" \
	panel_check "$tmp/c1.png" "$tmp/guest.png" "$px" "$py" "$pw" "$ph"

n=$(lines)
xdotool key Down Down x Up Up
# A click on the panel's header (no item there) is the menu's, not the guest's.
xdotool mousemove --window "$wid" "$((px + pw / 2))" "$((py + 4))" click 1
sleep 0.5
check "keys and clicks while the menu is open do not reach the guest" \
	bash -c "! tail -n +$((n + 1)) '$tmp/out.txt' | grep -q '^guest-'"

check "and the menu is still open" bash -c "! tail -n +$((n + 1)) '$tmp/out.txt' | grep -q '^menu closed'"

# Screenshot: End goes to Quit, Up to Screenshot.
n=$(lines)
xdotool key End Up Return
check "Screenshot from the menu writes a file" wait_for '^screenshot ' "$n"
shot=$(grep '^screenshot ' "$tmp/out.txt" | tail -n 1 | cut -d' ' -f2-)
check "it is in the XDG pictures folder, named NAME-YYYYmmdd-HHMMSS.png" \
	bash -c "[[ '$shot' =~ ^$HOME/Pictures/demo-[0-9]{8}-[0-9]{6}(-[0-9]+)?\.png$ ]]"
check "the PNG equals the guest framebuffer" \
	test "$(compare -metric AE "$shot" "$tmp/guest.png" null: 2>&1)" = 0
check "the menu closed after the action" wait_for '^menu closed' "$n"

# A named snapshot: Snapshots > Take snapshot named… > type > Enter.
n=$(lines)
xdotool key ctrl+alt+m
wait_for '^menu open' "$n"
xdotool key Down Down Down Down Return
check "opening Snapshots asks the player for the list" wait_for '^action snapshot-list' "$n"
xdotool key Down Return
xdotool type --delay 20 'hello world'
xdotool key Return
check "a typed snapshot name is taken" wait_for '^action snapshot-take hello world$' "$n"

# Media > Insert ISO…: the field starts in the VM folder; Tab completes.
n=$(lines)
xdotool key ctrl+alt+m
wait_for '^menu open' "$n"
xdotool key Down Down Down Down Down Return Return
xdotool type --delay 20 'deb'
xdotool key Tab
sleep 0.3
import -window "$wid" "$tmp/c2.png"
xdotool key Return
check "Tab completes the ISO path and Enter inserts it" \
	wait_for "^action media-insert $tmp/vm/debian-12.iso\$" "$n"

# Closed again: keys and clicks are the guest's.
sleep 0.3
n=$(lines)
xdotool key a
xdotool click 1
check "with the menu closed keys reach the guest" wait_for '^guest-key A' "$n"
check "with the menu closed clicks reach the guest" wait_for '^guest-click' "$n"

# A click beside the panel closes the menu without reaching the guest.
n=$(lines)
xdotool key ctrl+alt+m
wait_for '^menu open' "$n"
sleep 0.2
xdotool mousemove --window "$wid" 5 5 click 1
check "a click beside the panel closes the menu" wait_for '^menu closed' "$n"
sleep 0.3
check "and the guest never sees that click" \
	bash -c "! tail -n +$((n + 1)) '$tmp/out.txt' | grep -q '^guest-click'"

# Quit asks first; Cancel is the default.
n=$(lines)
xdotool key ctrl+alt+q
wait_for '^menu open' "$n"
xdotool key Return
check "Enter on the quit confirmation cancels" wait_for '^menu closed' "$n"
n=$(lines)
xdotool key ctrl+alt+q
wait_for '^menu open' "$n"
xdotool key Down Return
check "confirming quits" wait_for '^action quit' "$n"
for _ in $(seq 50); do kill -0 "$demo_pid" 2>/dev/null || break; sleep 0.1; done
wait "$demo_pid"
rc=$?
demo_pid=
check "the demo exits with status 0" test "$rc" = 0
[ -n "${OVERLAY_KEEP:-}" ] && cp "$tmp"/c[0-9].png "$OVERLAY_KEEP"/ 2>/dev/null

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
