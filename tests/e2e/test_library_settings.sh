#!/bin/bash
# The library window's Settings (issue 9 item 3): Ctrl+E on the selected
# VM opens the player's own Settings pages over the list; a bad value is
# refused with the VM file untouched, a good one changes exactly its line
# (comments kept); Esc goes back to the list, which shows the new value.
set -u
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/player_lib.sh"

export HOME=$TMP/home VMPLAY_MESSAGE_BOX=0
unset XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME XDG_CONFIG_HOME
mkdir -p "$HOME"
"$VMPLAY" new setme --disk 16M --memory 64M >/dev/null 2>&1 || fail "vmplay new setme"
VMF=$HOME/.VM/setme/setme.vmplay
sed -i 's/^accel = auto$/accel = tcg/' "$VMF"
printf '; kept: a comment of the user\n' >>"$VMF"
cp "$VMF" "$TMP/before.vmplay"
cpus_before=$(sed -n 's/^cpus = //p' "$VMF")

check "Xvfb starts" start_xvfb 1280x1024x24 || finish
start_wm
case $? in
0) ok "openbox manages the display" ;;
2) skip "library settings" "no openbox"; finish ;;
*) fail "openbox manages the display"; finish ;;
esac
pixel_at() { convert "$1" -format "%[pixel:p{$2,$3}]" info:; }
focus() { xdotool windowactivate --sync "$WIN" 2>/dev/null; }
keys() { focus; xdotool key --delay 60 "$@"; sleep 0.5; }
typed() { focus; xdotool type --delay 40 "$1"; sleep 0.5; }

spawn library "$VMPLAY"
check "the library window opens" find_window '^vmplay: library$' 20 || finish
sleep 1
keys ctrl+e
capture_window "$WIN" "$TMP/settings.png"
# Settings list: Memory first, CPUs second
keys Down Return
typed banana
keys Return
check "a bad CPU count is refused: the VM file is untouched" \
	cmp "$VMF" "$TMP/before.vmplay"
keys BackSpace BackSpace BackSpace BackSpace BackSpace BackSpace
typed 3
keys Return
check "a good one is written" grep -q '^cpus = 3$' "$VMF"
diff "$TMP/before.vmplay" "$VMF" >"$TMP/diff" 2>&1
check "exactly the cpus line changed (diff: $(grep -c '^[<>]' "$TMP/diff") lines)" \
	test "$(grep '^[<>]' "$TMP/diff" | tr '\n' '|')" = "< cpus = $cpus_before|> cpus = 3|"
check "the user's comment is kept" grep -q '^; kept: a comment of the user$' "$VMF"
keys Escape
capture_window "$WIN" "$TMP/list.png"
check "Esc goes back to the list" \
	test "$(pixel_at "$TMP/list.png" 400 300 2>/dev/null || echo x)" != "$(pixel_at "$TMP/settings.png" 400 300 2>/dev/null || echo y)"
keys ctrl+q
wait_exit "$SPAWNED_PID" 10 && check "Ctrl+Q closes the library, status 0" test "$EXIT_STATUS" = 0 ||
	fail "Ctrl+Q closes the library" "still running"
finish
