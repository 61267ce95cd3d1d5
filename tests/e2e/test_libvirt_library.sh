#!/bin/bash
# The library window and libvirt (issue 15 items 2 and 3), against a real
# libvirt (started here when none runs, as root, without systemd) and a
# TCG domain with <graphics type='vnc'><listen type='none'/>:
#   - a user whose vmplay.ini lists connections in [connections] sees the
#     domains of each under the connection's name, with their state
#     (read back with tesseract; the PNGs are kept with KEEP_TMP=1);
#   - `virsh suspend` and `virsh destroy` from outside show in the list;
#   - a connection refused shows libvirt's message on one line, and a host
#     that takes the connection and never answers shows "Connecting"
#     while the rest of the window goes on (the state changes above arrive
#     meanwhile);
#   - `vmplay list` lists them too, and says which connections failed;
#   - typing filters the domains by name, Enter plays the selected one: a
#     player window on the domain (vmplay --connect URI -- DOMAIN);
#   - when the domain is shut off while its window is open, the stopped
#     screen's Run (Enter) starts it: virsh domstate says running.
set -u
. "$(dirname "$0")/lib.sh"
. "$E2E_DIR/player_lib.sh"
. "$E2E_DIR/libvirt_lib.sh"

if missing=$(have_tools); then :; else
	skip "libvirt library" "$missing missing"
	finish
fi
for t in tesseract openbox virsh; do
	command -v "$t" >/dev/null || { skip "libvirt library" "no $t"; finish; }
done
if [ "$(id -u)" != 0 ]; then
	skip "libvirt library" "qemu:///system needs root to start libvirtd here"
	finish
fi
[ -f "$(guest_kernel)" ] || { fail "test guest built" "run make"; finish; }
chmod 755 "$TMP"   # libvirt's QEMU runs as its own user
lv_start_daemon
case $? in
0) ok "libvirt's daemon answers at $LV_URI" ;;
2) skip "libvirt library" "libvirtd missing (libvirt-daemon)"; finish ;;
*) fail "libvirtd starts" "$(tail -n 3 "$TMP/libvirtd.log")"; finish ;;
esac

# a short name for OCR, unique on a daemon other tests may share
NAME=guest$$
check "domain defined (TCG, test guest, VNC listen none)" \
	lv_define "$NAME" "$(lv_guest_xml "$NAME" "<graphics type='vnc'><listen type='none'/></graphics>")" ||
	finish
check "domain started" virsh start "$NAME" || finish
domstate() { [ "$(virsh domstate "$NAME" | head -n 1)" = "$1" ]; }

# a host that accepts TCP connections and never says a word
SILENT_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -c "
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', $SILENT_PORT))
s.listen(8)
time.sleep(600)" </dev/null >/dev/null 2>&1 &
register_pid $!
wait_for 10 eval "ss -ltn | grep -q '127.0.0.1:$SILENT_PORT '"

export HOME=$TMP/home
unset XDG_CONFIG_HOME XDG_STATE_HOME XDG_CACHE_HOME XDG_DATA_HOME
export VMPLAY_MESSAGE_BOX=0
mkdir -p "$HOME/.config/vmplay"
cat >"$HOME/.config/vmplay/vmplay.ini" <<EOF
[connections]
this host = $LV_URI
refused = qemu+tcp://127.0.0.1:1/system
silent = qemu+tcp://127.0.0.1:$SILENT_PORT/system
EOF

# vmplay list: the same connections, without a window
T=$(date +%s)
"$VMPLAY" list >"$TMP/list.out" 2>"$TMP/list.err"
check "vmplay list lists the domain: name, state, URI" \
	grep -qE "^$NAME +running +- +- +- +$LV_URI\$" "$TMP/list.out"
check "  ... the refused connection on stderr with libvirt's message" \
	grep -q "vmplay list: refused (qemu+tcp://127.0.0.1:1/system): cannot connect: .*Connection refused" "$TMP/list.err"
check "  ... the silent one: no answer within 10 seconds (and no longer)" \
	eval "grep -q 'vmplay list: silent (.*): no answer within 10 seconds' '$TMP/list.err' && [ \$((\$(date +%s) - T)) -le 13 ]"

check "Xvfb starts" start_xvfb 1024x900x24 || finish
start_wm || { skip "libvirt library" "openbox does not start"; finish; }
export SDL_VIDEODRIVER=x11

# ocr PNG: tesseract's reading of a grey, enlarged, inverted, thresholded
# copy (light text on dark rows), lines joined with spaces
ocr() {
	convert "$1" -colorspace gray -resize 300% -negate -threshold 60% \
		"$TMP/ocr.png" && tesseract "$TMP/ocr.png" - 2>/dev/null | tr '\n' ' '
}
# sees NAME REGEX: the library now (saved as NAME.png) reads REGEX
sees() {
	capture_window "$LIBWIN" "$TMP/$1.png" && ocr "$TMP/$1.png" >"$TMP/$1.txt" &&
		grep -qE -- "$2" "$TMP/$1.txt"
}
focus() { xdotool windowactivate --sync "$1" 2>/dev/null; sleep 0.3; }

T0=$(date +%s)
spawn library "$VMPLAY" --verbose
LIB_PID=$SPAWNED_PID
check "the library window opens" find_window '^vmplay: library$' 20 || finish
LIBWIN=$WIN
check "it shows the domain under its connection, running" \
	wait_for 20 sees list "this host.*$NAME.{0,4}running"
check "  ... (its log says so too)" \
	grep -q "library: this host: $NAME running" "$TMP/library.log"
check "a connection refused: one line with libvirt's message" \
	grep -qE "refused .*Cannot connect: unable to connect to server at .127.0.0.1:1.: Connection refused" "$TMP/list.txt"
check "a host that never answers: Connecting" \
	grep -qE "silent .*Connecting" "$TMP/list.txt"

virsh suspend "$NAME" >/dev/null
check "virsh suspend from outside: the list says paused" \
	wait_for 10 sees paused "$NAME.{0,4}paused"
check "  ... while the silent host still says Connecting (no answer for N s)" \
	grep -qE "silent .*Connecting.*no answer for [0-9]+ s" "$TMP/paused.txt"
virsh destroy "$NAME" >/dev/null
check "virsh destroy: the list says shut off" \
	wait_for 10 sees shutoff "$NAME.{0,4}shut off"
check "the library still runs" \
	alive "$LIB_PID"

virsh start "$NAME" >/dev/null
check "virsh start: running again" wait_for 10 sees running-again "$NAME.{0,4}running"
# typing filters by name: only this domain stays, selected; Enter plays it
focus "$LIBWIN"
xdotool type --delay 40 "$NAME"
sleep 0.5
check "typing its name keeps it (the filter)" \
	wait_for 5 sees filtered "Filter: $NAME.*$NAME.{0,4}running"
xdotool key Return
PLAYER=
find_player() { PLAYER=$(pgrep -f -- "--connect $LV_URI -- $NAME\$" | head -n 1); [ -n "$PLAYER" ]; }
check "Enter starts vmplay --connect $LV_URI -- $NAME" wait_for 10 find_player
[ -n "$PLAYER" ] && register_pid "$PLAYER"
if find_window "^$NAME: running\$" 30; then
	ok "the player window plays the domain ('$NAME: running')"
else
	fail "the player window opens" "$(tail -n 3 "$TMP/library.log")"
	finish
fi
focus "$WIN"
capture_window "$WIN" "$TMP/player.png"

# shut off while its window is open: the stopped screen, Run starts it
virsh destroy "$NAME" >/dev/null
check "the domain shut off: the window stays, titled stopped" \
	wait_for 10 title_is "$NAME: stopped"
sleep 0.5
capture_window "$WIN" "$TMP/stopped.png"
check "  ... the stopped page offers Run" \
	eval "ocr '$TMP/stopped.png' | grep -q Run"
focus "$WIN"
xdotool key Return
check "the stopped screen's Run starts the domain (virsh domstate: running)" \
	wait_for 20 domstate running
check "  ... and the window follows (titled running)" \
	wait_for 20 title_is "$NAME: running"
capture_window "$WIN" "$TMP/after-run.png"
check "the whole test took under 2 minutes" test $(($(date +%s) - T0)) -lt 120

"$XCLOSE" "$WIN" >/dev/null 2>&1
wait_exit "$PLAYER" 15
check "closing the player leaves the domain running (libvirt owns it)" domstate running
kill -TERM "$LIB_PID" 2>/dev/null
finish
