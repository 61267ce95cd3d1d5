# Helpers shared by the player's end-to-end scripts (test_player*.sh).
# Source after lib.sh. Needs Xvfb, xdotool and ImageMagick's import.

XCLOSE=$BUILD/tests/player_xclose

# have_tools: true when everything a window test needs is here.
have_tools() {
	local t
	for t in Xvfb xdotool import compare; do
		command -v "$t" >/dev/null || { echo "$t"; return 1; }
	done
	[ -x "$XCLOSE" ] || { echo "$XCLOSE"; return 1; }
}

# find_window REGEX TIMEOUT_S: sets WIN to the first window whose title
# matches.
find_window() {
	WIN=$(window_id "$2" "$1")
	[ -n "$WIN" ]
}

# menu_item MENU_KEYS N: opens the menu with its shortcut and enters the
# main page's item N (0: the first), waiting for each to be drawn.
menu_item() {
	local keys=() i
	for ((i = 0; i < $2; i++)); do keys+=(Down); done
	xdotool key "$1"
	sleep 0.5
	xdotool key "${keys[@]}" Return
	sleep 0.5
}

title_is() { [ "$(xdotool getwindowname "$WIN" 2>/dev/null)" = "$1" ]; }

# capture FILE: the window's pixels as PPM.
capture() { import -window "$WIN" -depth 8 "$1" 2>/dev/null; }

# window_matches TRIES REF COMMAND...: COMMAND writes the reference
# picture to the file REF; the window shows exactly that, size included
# (ImageMagick's compare: fast on 1080p). Retried: a blinking cursor or a
# clock in the guest can change between the two captures, and QEMU's VNC
# refresh backs off after idle periods.
window_matches() {
	local tries=$1 ref=$2 i
	shift 2
	for ((i = 0; i < tries; i++)); do
		"$@" >/dev/null 2>&1 &&
			capture "$TMP/win.ppm" &&
			compare -metric AE "$TMP/win.ppm" "$ref" null: \
				>"$TMP/compare.out" 2>&1 &&
			return 0
		sleep 0.3
	done
	echo "differing pixels: $(cat "$TMP/compare.out")" >&2
	cp "$TMP/win.ppm" "$TMP/last-win.ppm" 2>/dev/null
	cp "$ref" "$TMP/last-ref.${ref##*.}" 2>/dev/null
	return 1
}

# same_picture QMP_SOCKET [TRIES]: the window equals QEMU's screendump.
same_picture() {
	window_matches "${2:-15}" "$TMP/ref.ppm" qmp "$1" screendump "$TMP/ref.ppm"
}

# vga_text QMP_SOCKET: the guest's VGA text screen (80x25 at 0xb8000), one
# line per row.
vga_text() {
	qmp "$1" hmp "pmemsave 0xb8000 4000 \"$TMP/vga.bin\"" >/dev/null &&
		python3 -c '
import sys
d = open(sys.argv[1], "rb").read()
for r in range(25):
    print(bytes(d[(r * 80 + c) * 2] for c in range(80)).decode("latin-1").rstrip())
' "$TMP/vga.bin"
}

vga_has() { vga_text "$1" | grep -qF -- "$2"; }

# qemu_of PID: the QEMU process vmplay PID started (its child).
qemu_of() { pgrep -P "$1" -f qemu-system | head -n 1; }

# grub_vm FILE NAME QMP [EXTRA QEMU ARGS]: a VM file for the GRUB rescue CD
# with the test's own QMP monitor (TCG: where /dev/kvm exists but does not
# work well, GRUB takes 20 s to boot and keys arrive late).
GRUB_ISO=/usr/lib/grub-rescue/grub-rescue-cdrom.iso
grub_vm() {
	cat >"$1" <<EOV
[vm]
name = $2
memory = 128M
machine = pc
; /dev/kvm may exist but misbehave on test machines: TCG is deterministic
accel = tcg

[cdrom]
file = $GRUB_ISO

[boot]
order = d

[network]
mode = none

[audio]
backend = none
device = none

[qemu]
args = -qmp unix:$3,server=on,wait=off $4
EOV
}
