#!/bin/bash
# The AppStream screenshots, taken from the real player window: vmplay
# plays the demo VM (memtest86+ from its CD, as `make demo` does) under
# Xvfb and each shot_NAME function below leaves the window showing what
# the picture is about; the window is then saved as NAME.png in
# $SCREENSHOT_DIR (default $TMP/screenshots). `make screenshots` writes
# them to assets/screenshots/, where the metainfo's <screenshot> URLs point;
# tests/e2e/test_metainfo.sh runs this script and checks its pictures.
#
# To add a picture (the library window, when it exists): write a
# shot_NAME function that brings the window there (it may start another
# window and set WIN to it), add NAME to SHOTS, and add a <screenshot>
# entry for assets/screenshots/NAME.png to the metainfo.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/../e2e/player_lib.sh"

SHOTS=${SHOTS:-player menu}
OUT=${SCREENSHOT_DIR:-$TMP/screenshots}
mkdir -p "$OUT"

for t in Xvfb xdotool import convert; do
	command -v "$t" >/dev/null || { skip "screenshots" "$t missing"; finish; }
done
DEMO_ISO=$(sed -n 's/^file = //p' "$E2E_ROOT/configs/demo.vmplay")
[ -f "$DEMO_ISO" ] || { skip "screenshots" "$DEMO_ISO missing (memtest86+)"; finish; }

start_xvfb 1024x768x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11 XDG_CONFIG_HOME=$TMP/config XDG_STATE_HOME=$TMP/state
mkdir -p "$XDG_CONFIG_HOME"
QMP=$TMP/demo.qmp
# the demo VM as shipped, plus the script's own QMP monitor to see the
# guest's screen text
{ grep -v '^\[qemu\]' "$E2E_ROOT/configs/demo.vmplay"
  printf '\n[qemu]\nargs = -qmp unix:%s,server=on,wait=off\n' "$QMP"; } >"$TMP/demo.vmplay"
spawn vmplay "$VMPLAY" --trust "$TMP/demo.vmplay"
if ! find_window '^demo: running$' 60; then
	fail "the demo VM's window" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
PLAYER=$WIN

# The window once memtest's start screen is up: the picture is no longer
# one flat colour.
drawn() {
	capture "$TMP/probe.ppm" &&
		[ "$(convert "$TMP/probe.ppm" -format '%[fx:standard_deviation>0.05]' info:)" = 1 ]
}
shot_player() {
	wait_socket 30 "$QMP" && wait_for 90 drawn && sleep 2
}

# The menu open over the guest, Snapshots highlighted.
shot_menu() {
	WIN=$PLAYER
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key ctrl+alt+m && sleep 1 && xdotool key Down Down Down Down && sleep 1
}

for name in $SHOTS; do
	if "shot_$name" && capture "$TMP/$name.ppm" &&
		convert "$TMP/$name.ppm" -strip "$OUT/$name.png"; then
		ok "screenshot $name.png ($(identify -format %wx%h "$OUT/$name.png"))"
	else
		fail "screenshot $name.png"
	fi
done
finish
