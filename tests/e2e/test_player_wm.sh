#!/bin/bash
# The player under a real window manager (openbox on Xvfb, the test guest,
# real QEMU under TCG). Bare Xvfb honours neither _NET_WM_STATE_FULLSCREEN
# nor Alt+Tab, so this is where they are tried:
# 1. ctrl+alt+f covers the screen with the picture scaled "fit", and again
#    gives back the previous window size;
# 2. a click into the window while another one is active grabs the PS/2
#    pointer at once; grabbed, Alt+Tab reaches the guest as scancodes
#    (38 0f) instead of switching windows, also full-screen (where SDL
#    would minimize the window by default); after ctrl+alt+g the window
#    manager switches and the guest gets no Tab (and no Alt left down);
# 3. the window manager's close (_NET_CLOSE_WINDOW, then its Alt+F4) acts
#    like the close button: ACPI request and a note first, stop second;
# 4. `vmplay --fullscreen` and `[display] fullscreen = true` start
#    full-screen, and leaving it sizes the window to the guest's mode,
#    also a mode the guest switched to while full-screen, on the screen;
# 5. kiosk mode: Alt+Tab goes to the guest, the window manager's close
#    does nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"

if missing=$(have_tools); then :; else
	skip "player under a window manager" "$missing missing"
	finish
fi
for t in openbox xprop xmessage xwininfo; do
	command -v "$t" >/dev/null || {
		skip "player under a window manager" "$t missing (packages openbox, x11-utils)"
		finish
	}
done
KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing: run make"; finish; }
SW=1280 SH=1024
start_xvfb "${SW}x${SH}x24" || { fail "Xvfb starts"; finish; }
start_wm
case $? in
0) ok "openbox manages the display" ;;
2) skip "player under a window manager" "openbox missing"; finish ;;
*) fail "openbox manages the display" "$(tail -n 3 "$TMP/openbox.log")"; finish ;;
esac
export SDL_VIDEODRIVER=x11

# geometry_is WxH [X,Y]: the window's size (and position) as X sees it
geometry_is() {
	local X Y WIDTH HEIGHT
	eval "$(xdotool getwindowgeometry --shell "$WIN" 2>/dev/null)" || return 1
	[ "${WIDTH}x${HEIGHT}" = "$1" ] && { [ -z "$2" ] || [ "$X,$Y" = "$2" ]; }
}
wm_fullscreen() { xprop -id "$WIN" _NET_WM_STATE | grep -q _NET_WM_STATE_FULLSCREEN; }
covers_screen() { geometry_is "${SW}x${SH}" 0,0 && wm_fullscreen; }
windowed() { geometry_is "$1" && ! wm_fullscreen; }
# on_screen: the whole client area is on the screen (frame left aside)
on_screen() {
	xwininfo -id "$WIN" | awk -v sw="$SW" -v sh="$SH" '
		/Absolute upper-left X/ { x = $NF } /Absolute upper-left Y/ { y = $NF }
		/^ *Width:/ { w = $NF } /^ *Height:/ { h = $NF }
		END { exit !(x >= 0 && y >= 0 && x + w <= sw && y + h <= sh) }'
}

# fit_shown GW GH: a capture shows the guest's status area (mode GWxGH)
# scaled by min(SW/GW, SH/GH) and centred: scale mode "fit".
fit_shown() {
	capture "$TMP/fit.ppm" || return 1
	ppm status --auto yes "$TMP/fit.ppm" >"$TMP/fit.json" || return 1
	python3 - "$TMP/fit.json" "$1" "$2" "$SW" "$SH" <<'PY'
import json, sys
st = json.load(open(sys.argv[1]))
gw, gh, sw, sh = (int(a) for a in sys.argv[2:6])
s = min(sw / gw, sh / gh)
ox, oy = (sw - gw * s) / 2, (sh - gh * s) / 2
ok = (st["width"], st["height"]) == (gw, gh) and \
    all(abs(v - s) < 0.03 for v in st["scale"]) and \
    abs(st["origin"][0] - ox) <= 1.5 and abs(st["origin"][1] - oy) <= 1.5
print(st, "want scale %.3f origin %.1f,%.1f" % (s, ox, oy))
sys.exit(0 if ok else 1)
PY
}

# wm_close: asks the window manager to close $WIN (_NET_CLOSE_WINDOW to the
# root window, what a task bar's close does; openbox then sends
# WM_DELETE_WINDOW and pings). Xlib through ctypes: xdotool 3.2016 has no
# such command and wmctrl is not required.
wm_close() {
	python3 - "$WIN" <<'PY'
import ctypes, sys
x = ctypes.CDLL("libX11.so.6")
x.XOpenDisplay.restype = ctypes.c_void_p
x.XOpenDisplay.argtypes = [ctypes.c_char_p]
x.XInternAtom.restype = ctypes.c_ulong
x.XInternAtom.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]
x.XDefaultRootWindow.restype = ctypes.c_ulong
x.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
class ClientMessage(ctypes.Structure):
    _fields_ = [("type", ctypes.c_int), ("serial", ctypes.c_ulong),
                ("send_event", ctypes.c_int), ("display", ctypes.c_void_p),
                ("window", ctypes.c_ulong), ("message_type", ctypes.c_ulong),
                ("format", ctypes.c_int), ("data", ctypes.c_long * 5)]
class XEvent(ctypes.Union):
    _fields_ = [("xclient", ClientMessage), ("pad", ctypes.c_long * 24)]
x.XSendEvent.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                         ctypes.c_long, ctypes.POINTER(XEvent)]
x.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
d = x.XOpenDisplay(None)
if not d:
    sys.exit("cannot open the display")
ev = XEvent()
ev.xclient.type = 33                      # ClientMessage
ev.xclient.window = int(sys.argv[1], 0)
ev.xclient.message_type = x.XInternAtom(d, b"_NET_CLOSE_WINDOW", 0)
ev.xclient.format = 32
ev.xclient.data[1] = 2                    # source: a pager, the user
SUBSTRUCTURE_NOTIFY_REDIRECT = (1 << 19) | (1 << 20)
x.XSendEvent(d, x.XDefaultRootWindow(d), 0, SUBSTRUCTURE_NOTIFY_REDIRECT,
             ctypes.byref(ev))
x.XSync(d, 0)
PY
}

# keys_in_order CAPTURE A B...: the status area shows key bytes A B ...
# received one after the other (oldest first).
keys_in_order() {
	local shot=$1
	shift
	ppm status --auto yes "$shot" >"$TMP/keys.json" || return 1
	python3 - "$TMP/keys.json" "$*" <<'PY'
import json, sys
keys = json.load(open(sys.argv[1]))["keys"][::-1]   # oldest first
print("status area keys, oldest first:", " ".join(keys))
sys.exit(0 if " %s " % sys.argv[2] in " %s " % " ".join(keys) else 1)
PY
}

active_is() { [ "$(xdotool getactivewindow 2>/dev/null)" = "$1" ]; }
alt_up_last() {   # the guest's last Alt event is a release
	[ "$(grep -E '^key (38|b8)$' "$GUEST_SERIAL" | tail -n 1)" = "key b8" ]
}
gone() { [ -n "$1" ] && wait_for 15 eval "! alive $1"; }

# ---- 1-3: a windowed VM with the PS/2 pointer ----
# another window first, for Alt+Tab to switch to
xmessage -name wm-other -geometry 300x80+10+10 "another window" \
	</dev/null >"$TMP/xmessage.log" 2>&1 &
register_pid $!
wait_for 20 xdotool search --name '^wm-other$' || { fail "second window"; finish; }
OTHER=$(xdotool search --name '^wm-other$' | head -n 1)

guest_vmfile wmgrab
printf '[input]\npointer = ps2\n' >>"$VMFILE"
spawn wmgrab "$VMPLAY" --trust "$VMFILE"
VPID=$SPAWNED_PID
if find_window '^wmgrab: running$' 60 && wait_line 60 "$GUEST_SERIAL" '^ready '; then
	ok "window up, guest ready"
else
	fail "window up, guest ready" "$(tail -n 3 "$TMP/wmgrab.log")"
	finish
fi
QPID=$(qemu_of "$VPID")
check "windowed: the window fits the guest (640x480)" wait_for 20 windowed 640x480
xdotool windowactivate --sync "$WIN" >/dev/null 2>&1
xdotool key ctrl+alt+f
check "ctrl+alt+f: the window covers the screen (${SW}x${SH}, WM full-screen state)" \
	wait_for 15 covers_screen
check "full-screen: the picture is scaled to fit (status area decoded)" \
	wait_for 15 fit_shown 640 480
xdotool key ctrl+alt+f
check "ctrl+alt+f again: back to the previous size" wait_for 15 windowed 640x480
check "windowed again: the window shows the guest 1:1" same_picture "$GUEST_QMP"

# the click that focuses the window grabs at once (no second click)
xdotool windowactivate --sync "$OTHER" >/dev/null 2>&1
check "another window is active" wait_for 10 active_is "$OTHER"
xdotool mousemove --window "$WIN" 100 100
sleep 0.3
xdotool click 1
check "a click into the inactive window grabs the pointer (title)" \
	wait_for 10 title_is "wmgrab: running (pointer grabbed)"
check "the click made it the active window" wait_for 10 active_is "$WIN"

# alt_tab_to_guest WHAT: Alt+Tab arrives as 38 0f (status area) and
# switches no window
alt_tab_to_guest() {
	local tabs
	tabs=$(grep -c '^key 0f$' "$GUEST_SERIAL")
	xdotool key alt+Tab
	# the serial line comes first, the window shows it a moment later
	if wait_for 15 eval "[ \$(grep -c '^key 0f$' '$GUEST_SERIAL') -gt $tabs ]" &&
		wait_for 10 eval "capture '$TMP/alttab.ppm' &&
			keys_in_order '$TMP/alttab.ppm' 38 0f >'$TMP/keys.out' 2>&1"; then
		ok "$1: Alt+Tab reaches the guest as 38 0f (status area)"
	else
		fail "$1: Alt+Tab reaches the guest as 38 0f (status area)" \
			"$(tail -n 1 "$TMP/keys.out" 2>/dev/null)"
	fi
	sleep 0.5   # what the window manager would do takes a moment
	check "$1: Alt+Tab switched no window" active_is "$WIN"
	check "$1: the pointer is still grabbed" title_is "wmgrab: running (pointer grabbed)"
}
alt_tab_to_guest "grabbed"
# full-screen with the keyboard grabbed: SDL would minimize the window on
# Alt+Tab by default
xdotool key ctrl+alt+f
check "grabbed, ctrl+alt+f: full-screen" wait_for 15 covers_screen
alt_tab_to_guest "grabbed, full-screen"
check "grabbed, full-screen: Alt+Tab left the window full-screen, not minimized" \
	eval "covers_screen && ! xprop -id $WIN _NET_WM_STATE | grep -q HIDDEN"
xdotool key ctrl+alt+f
check "grabbed, ctrl+alt+f again: back to 640x480" wait_for 15 windowed 640x480

xdotool key ctrl+alt+g
check "ctrl+alt+g releases the pointer (title)" wait_for 10 title_is "wmgrab: running"
tabs=$(grep -c '^key 0f$' "$GUEST_SERIAL")
xdotool key alt+Tab
check "released: Alt+Tab switches to the other window" wait_for 10 active_is "$OTHER"
sleep 1   # time for a stray Tab to arrive
check "released: the guest got no Tab" [ "$(grep -c '^key 0f$' "$GUEST_SERIAL")" -eq "$tabs" ]
check "released: no Alt left down in the guest" alt_up_last
check "released: the title says not grabbed" title_is "wmgrab: running"

wm_close
check "WM close: title says shutting down" wait_for 10 title_is "wmgrab: shutting down"
check "WM close: the log says the guest was asked" \
	wait_line 10 "$TMP/wmgrab.log" "shutting down wmgrab"
if wait_for 10 eval "capture '$TMP/note.ppm' && qmp '$GUEST_QMP' screendump '$TMP/guest.ppm' &&
	! ppm compare '$TMP/note.ppm' '$TMP/guest.ppm'"; then
	ok "WM close: a note is drawn over the guest"
else
	fail "WM close: a note is drawn over the guest"
fi
check "WM close: QEMU still runs (the guest ignores ACPI)" alive "$QPID"
xdotool windowactivate --sync "$WIN" >/dev/null 2>&1
xdotool key alt+F4
if wait_exit "$VPID" 30 && [ "$EXIT_STATUS" = 0 ]; then
	ok "second close (openbox's Alt+F4) stops QEMU, vmplay exits 0"
else
	fail "second close (openbox's Alt+F4) stops QEMU, vmplay exits 0" \
		"status ${EXIT_STATUS:-running}"
fi
check "no QEMU left" gone "$QPID"

# ---- 4: starting full-screen ----
# start_full NAME [VMPLAY OPTIONS]: plays $VMFILE; VPID, WIN
start_full() {
	local name=$1
	shift
	spawn "$name" "$VMPLAY" --trust "$@" "$VMFILE"
	VPID=$SPAWNED_PID
	find_window "^$name: running\$" 60 && wait_line 60 "$GUEST_SERIAL" '^ready '
}

guest_vmfile wmfull
if start_full wmfull --fullscreen --exit-on-poweroff; then
	check "--fullscreen: the window covers the screen" wait_for 15 covers_screen
	check "--fullscreen: the picture is scaled to fit" wait_for 15 fit_shown 640 480
	xdotool windowactivate --sync "$WIN" >/dev/null 2>&1
	xdotool key 3
	if wait_line 30 "$GUEST_SERIAL" '^mode 1024x768$'; then
		check "--fullscreen: the guest's new mode 1024x768 is scaled to fit" \
			wait_for 15 fit_shown 1024 768
	else
		fail "--fullscreen: the guest switches to 1024x768"
	fi
	xdotool key ctrl+alt+f
	check "--fullscreen, ctrl+alt+f: the window takes the guest's mode (1024x768)" \
		wait_for 15 windowed 1024x768
	check "--fullscreen, ctrl+alt+f: the grown window stays on the screen" \
		wait_for 10 on_screen
	check "--fullscreen, ctrl+alt+f: the window shows the guest 1:1" same_picture "$GUEST_QMP"
	xdotool key p
	if wait_exit "$VPID" 30 && [ "$EXIT_STATUS" = 0 ]; then
		ok "--fullscreen --exit-on-poweroff: guest power-off ends vmplay with status 0"
	else
		fail "--fullscreen: guest power-off ends vmplay with status 0" "status ${EXIT_STATUS:-running}"
	fi
else
	fail "--fullscreen: VM starts" "$(tail -n 3 "$TMP/wmfull.log")"
fi

guest_vmfile wmcfg
printf '[display]\nfullscreen = true\nexit-on-poweroff = true\n' >>"$VMFILE"
if start_full wmcfg; then
	check "[display] fullscreen = true: the window covers the screen" wait_for 15 covers_screen
	check "[display] fullscreen = true: the picture is scaled to fit" wait_for 15 fit_shown 640 480
	xdotool windowactivate --sync "$WIN" >/dev/null 2>&1
	xdotool key ctrl+alt+f
	check "[display] fullscreen = true, ctrl+alt+f: the window fits the guest (640x480)" \
		wait_for 15 windowed 640x480
	xdotool key p
	if wait_exit "$VPID" 30 && [ "$EXIT_STATUS" = 0 ]; then
		ok "[display] exit-on-poweroff = true: guest power-off ends vmplay with status 0"
	else
		fail "[display] exit-on-poweroff = true: guest power-off ends vmplay with status 0" \
			"status ${EXIT_STATUS:-running}"
	fi
else
	fail "[display] fullscreen = true: VM starts" "$(tail -n 3 "$TMP/wmcfg.log")"
fi

# ---- 5: kiosk mode: full-screen with the keyboard grabbed for good ----
guest_vmfile wmkiosk
printf '[kiosk]\nenabled = true\n' >>"$VMFILE"
# the test guest ignores ACPI: SIGTERM stops QEMU after this timeout
export VMPLAY_POWERDOWN_TIMEOUT=2
if start_full wmkiosk; then
	QPID=$(qemu_of "$VPID")
	check "kiosk: the window covers the screen" wait_for 15 covers_screen
	xdotool windowactivate --sync "$WIN" >/dev/null 2>&1
	tabs=$(grep -c '^key 0f$' "$GUEST_SERIAL")
	xdotool key alt+Tab
	check "kiosk: Alt+Tab reaches the guest" \
		wait_for 15 eval "[ \$(grep -c '^key 0f$' '$GUEST_SERIAL') -gt $tabs ]"
	sleep 0.5
	check "kiosk: Alt+Tab neither switched nor minimized the window" \
		eval "active_is $WIN && covers_screen && ! xprop -id $WIN _NET_WM_STATE | grep -q HIDDEN"
	wm_close
	sleep 1
	check "kiosk: the window manager's close leaves the VM running" \
		eval "alive $VPID && alive $QPID && title_is 'wmkiosk: running'"
	kill -TERM "$VPID"
	if wait_exit "$VPID" 30; then
		ok "kiosk: SIGTERM ends it"
	else
		fail "kiosk: SIGTERM ends it"
	fi
	check "kiosk: no QEMU left" gone "$QPID"
else
	fail "kiosk: VM starts" "$(tail -n 3 "$TMP/wmkiosk.log")"
fi
finish
