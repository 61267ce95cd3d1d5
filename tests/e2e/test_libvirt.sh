#!/bin/bash
# vmplay --connect qemu:///system DOMAIN against a real libvirt (started
# here when none runs, as root, without systemd) and a TCG domain booting
# the test guest with <graphics type='vnc'><listen type='none'/>:
#   - the window's pixels equal `virsh screenshot`, before and after a
#     guest mode switch; keys and a pointer click arrive (serial log, QEMU's
#     input trace);
#   - the pause shortcut shows in `virsh domstate`, `virsh suspend` in the
#     title;
#   - a snapshot taken from the menu is in `virsh snapshot-list`, and
#     restoring it from the menu brings back an equal screenshot;
#   - Shut down (ACPI: QEMU's POWERDOWN event) and Force off act; the
#     window stays, titled "stopped", and the pause shortcut runs the domain
#     again, the picture back;
#   - a bad URI, an unknown domain, a domain without graphics: a clear
#     message and exit status 1 at once; libvirtd stopped while playing:
#     said in the window, which still closes at once.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"
. "$(dirname "$0")/libvirt_lib.sh"

if missing=$(have_tools); then :; else
	skip "libvirt" "$missing missing"
	finish
fi
if [ "$(id -u)" != 0 ]; then
	skip "libvirt" "qemu:///system needs root to start libvirtd here"
	finish
fi
command -v virsh >/dev/null || { skip "libvirt" "virsh missing (libvirt-clients)"; finish; }
[ -f "$(guest_kernel)" ] || { fail "test guest built" "run make"; finish; }
# libvirt's QEMU runs as its own user: it must reach the files
chmod 755 "$TMP"
lv_start_daemon
case $? in
0) ok "libvirt's daemon answers at $LV_URI" ;;
2) skip "libvirt" "libvirtd missing (libvirt-daemon)"; finish ;;
*) fail "libvirtd starts" "$(tail -n 3 "$TMP/libvirtd.log")"; finish ;;
esac

check "vmplay check: libvirt ok, the daemon answers" \
	eval "'$VMPLAY' check | grep -Eq '^ok +libvirt +library [0-9.]+; qemu:///system answers'"

NAME=vmplay-e2e-$$
TRACE=$TMP/$NAME.trace
: >"$TRACE"
chmod 666 "$TRACE"
XML=$(lv_guest_xml "$NAME" "<graphics type='vnc'><listen type='none'/></graphics>")
# QEMU's input trace, for the pointer check
XML=${XML/<domain type=\'qemu\'>/<domain type=\'qemu\' xmlns:qemu=\'http:\/\/libvirt.org\/schemas\/domain\/qemu\/1.0\'>}
XML=${XML/<\/domain>/  <qemu:commandline><qemu:arg value=\'-trace\'\/><qemu:arg value=\'enable=input_event_btn,file=$TRACE\'\/><\/qemu:commandline>
<\/domain>}
SERIAL=$TMP/$NAME.serial
check "domain defined (TCG, test guest, VNC listen none)" lv_define "$NAME" "$XML" || finish
check "domain started" virsh start "$NAME" || finish
check "the guest is ready" wait_line 60 "$SERIAL" '^ready '

start_xvfb 1600x1200x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11
spawn vmplay "$VMPLAY" --connect "$LV_URI" "$NAME"
VPID=$SPAWNED_PID
if find_window "^$NAME: running\$" 30; then
	ok "vmplay --connect $LV_URI $NAME: window titled '$NAME: running'"
else
	fail "window up" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
xdotool windowfocus --sync "$WIN" 2>/dev/null
check "window pixels equal virsh screenshot (640x480)" lv_same_picture "$NAME"
check "vmplay listens on no TCP port" "$E2E_DIR/no_inet_listener.sh" "$VPID"

xdotool key q 2
check "typed keys arrive (serial: key 10, mode 800x600)" \
	wait_line 20 "$SERIAL" '^mode 800x600$'
check "the key bytes are q's scancodes" grep -q '^key 90$' "$SERIAL"
check "after the mode switch the pixels equal virsh screenshot (800x600)" \
	lv_same_picture "$NAME" 30

# pointer: the guest drives no USB, so make the tablet QEMU's active mouse
TABLET=$(virsh qemu-monitor-command --hmp "$NAME" "info mice" |
	sed -n 's/^[* ]*Mouse #\([0-9]*\):.*Tablet.*/\1/p')
virsh qemu-monitor-command --hmp "$NAME" "mouse_set ${TABLET:-0}" >/dev/null
xdotool mousemove --window "$WIN" 100 100 click 1
check "a click in the window arrives (QEMU's input trace)" \
	wait_for 10 grep -q 'button left, down 1' "$TRACE"
xdotool key ctrl+alt+g 2>/dev/null   # release a grab, if any

domstate() { [ "$(virsh domstate "$NAME" | head -n 1)" = "$1" ]; }
xdotool key ctrl+alt+p
check "the pause shortcut pauses the domain (virsh domstate: paused)" wait_for 15 domstate paused
check "the title says paused" wait_for 10 title_is "$NAME: paused"
xdotool key ctrl+alt+p
check "the pause shortcut again resumes it (running)" wait_for 15 domstate running
virsh suspend "$NAME" >/dev/null
check "virsh suspend from outside shows in the title" wait_for 10 title_is "$NAME: paused"
virsh resume "$NAME" >/dev/null
check "virsh resume from outside shows in the title" wait_for 10 title_is "$NAME: running"

# Snapshot from the menu: Snapshots is the fifth item of the main page;
# its second one names a snapshot.
menu_snapshots() { menu_item ctrl+alt+m 4; }
menu_snapshots
xdotool key Down Return
sleep 0.5
xdotool type --delay 20 "e2e-snap"
xdotool key Return
snap_listed() { virsh snapshot-list "$NAME" --name | grep -qx e2e-snap; }
if wait_for 60 snap_listed; then
	ok "a snapshot taken from the menu is in virsh snapshot-list"
else
	fail "snapshot from the menu" "$(virsh snapshot-list "$NAME" --name | tr '\n' ' '); $(tail -n 2 "$TMP/vmplay.log")"
fi
check "it holds the memory (state running)" \
	eval "virsh snapshot-info '$NAME' e2e-snap | grep -q 'State: *running'"
wait_for 20 eval "! virsh domstate '$NAME' | grep -q paused"
virsh screenshot "$NAME" "$TMP/at-snap.png" >/dev/null
xdotool key 3
check "the guest moved on (mode 1024x768)" wait_line 20 "$SERIAL" '^mode 1024x768$'
# Restore: the first snapshot in the list, its first item, then confirm
# (a confirmation starts on Cancel).
menu_snapshots
capture "$TMP/menu-snapshots.png"   # for a person to look at (KEEP_TMP=1)
xdotool key Down Down Return
sleep 0.5
xdotool key Return
sleep 0.5
xdotool key Down Return
restored() {
	virsh screenshot "$NAME" "$TMP/now.png" >/dev/null 2>&1 &&
		compare -metric AE "$TMP/now.png" "$TMP/at-snap.png" null: >/dev/null 2>&1
}
check "restoring it from the menu brings back an equal screenshot" wait_for 60 restored
check "and the window shows it (pixels equal virsh screenshot)" lv_same_picture "$NAME" 30

# Media from the menu (the sixth item): insert an ISO into the domain's CD
# drive, then eject it (update-device, live)
ISO=$TMP/disc.iso
cp /usr/lib/grub-rescue/grub-rescue-cdrom.iso "$ISO" 2>/dev/null ||
	qemu-img create -q -f raw "$ISO" 1M
chmod 644 "$ISO"
cd_source() { virsh domblklist "$NAME" | awk '$1 == "hdc" {print $2}'; }
media_page() { menu_item ctrl+alt+m 5; }
media_page
xdotool key Return   # Insert ISO…: a path field
sleep 0.5
xdotool type --delay 20 "$ISO"
xdotool key Return
check "an ISO typed into Media > Insert ISO is in the CD drive (virsh domblklist)" \
	wait_for 20 eval '[ "$(cd_source)" = "$ISO" ]'
check "live only: the stored definition keeps an empty drive" \
	eval "! virsh dumpxml --inactive '$NAME' | grep -q 'disc.iso'"
media_page
xdotool key Down Return   # Eject
check "Media > Eject empties it" wait_for 20 eval '[ "$(cd_source)" = "-" ]'
xdotool key Escape 2>/dev/null
sleep 0.3

# Shut down (ACPI): the test guest ignores the power button, QEMU reports it
virsh qemu-monitor-event "$NAME" --event POWERDOWN --timeout 30 >"$TMP/powerdown.log" 2>&1 &
EVPID=$!
register_pid "$EVPID"
sleep 1
xdotool key ctrl+alt+m
sleep 0.5
xdotool key Down Down Return
wait "$EVPID"
check "the menu's Shut down pressed the ACPI power button (POWERDOWN)" \
	grep -q POWERDOWN "$TMP/powerdown.log"
# Force off: fourth item, confirmed
xdotool key ctrl+alt+m
sleep 0.5
xdotool key Down Down Down Return
sleep 0.5
xdotool key Down Return
check "the menu's Force off stops the domain (shut off)" wait_for 20 domstate "shut off"
check "the window stays, titled stopped" wait_for 10 title_is "$NAME: stopped"
alive "$VPID" || fail "vmplay still runs after the domain stopped"
xdotool key ctrl+alt+p
check "the pause shortcut on a stopped domain runs it (running)" wait_for 20 domstate running
check "the window follows: titled running" wait_for 20 title_is "$NAME: running"
check "the picture is back (pixels equal virsh screenshot)" lv_same_picture "$NAME" 60

# A VM file naming the domain: a double-click plays it, its own name and
# keys applied (a local URI needs no question)
cat >"$TMP/local.vmplay" <<EOF
[vm]
name = local-file

[libvirt]
uri = $LV_URI
domain = $NAME

[keys]
pause = ctrl+alt+y
EOF
spawn vmplay2 env VMPLAY_MESSAGE_BOX=0 "$VMPLAY" "$TMP/local.vmplay"
VPID2=$SPAWNED_PID
MAINWIN=$WIN
if find_window '^local-file: running$' 30; then
	ok "a VM file with [libvirt] uri and domain plays the domain"
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key ctrl+alt+y
	check "with the file's own shortcut (pause = ctrl+alt+y)" wait_for 15 domstate paused
	virsh resume "$NAME" >/dev/null
	"$XCLOSE" "$WIN" >/dev/null 2>&1
	wait_exit "$VPID2" 15
else
	fail "a VM file with [libvirt] plays the domain" "$(tail -n 2 "$TMP/vmplay2.log")"
fi
WIN=$MAINWIN

# Errors: each a clear message and status 1, at once.
vm_err() {   # vm_err NAME REGEX ARGS...
	local name=$1 re=$2 status
	shift 2
	# no message box: the status and stderr are checked
	timeout 30 env -u DISPLAY "$VMPLAY" "$@" >"$TMP/err.out" 2>"$TMP/err.log"
	status=$?
	if [ "$status" = 1 ] && grep -Eq -- "$re" "$TMP/err.log"; then
		ok "$name: $(head -n 1 "$TMP/err.log")"
	else
		fail "$name" "status $status: $(head -n 2 "$TMP/err.log")"
	fi
}
vm_err "bad URI" "cannot connect to libvirt at nosuch:///x" --connect nosuch:///x "$NAME"
vm_err "unknown domain" "no domain 'no-such-domain' at qemu:///system.*$NAME" \
	--connect "$LV_URI" no-such-domain
NOGFX=vmplay-e2e-nogfx-$$
lv_define "$NOGFX" "$(lv_guest_xml "$NOGFX" "")"
vm_err "domain without graphics" "$NOGFX has no display" --connect "$LV_URI" "$NOGFX"
"$VMPLAY" --connect "$LV_URI" >/dev/null 2>"$TMP/err.log"
check "--connect without DOMAIN: usage error (status 2)" \
	eval "[ $? = 2 ] && grep -q 'needs a DOMAIN' '$TMP/err.log'"
LIBVIRT_DEFAULT_URI=$LV_URI vm_err "LIBVIRT_DEFAULT_URI is used with --connect ''" \
	"no domain 'nope' at qemu:///system" --connect "" nope

# A domain that is shut off: the window says so; the pause shortcut runs it
OFF=vmplay-e2e-off-$$
lv_define "$OFF" "$(lv_guest_xml "$OFF" "<graphics type='vnc'><listen type='none'/></graphics>")"
spawn vmplay3 env VMPLAY_MESSAGE_BOX=0 "$VMPLAY" --connect "$LV_URI" "$OFF"
VPID3=$SPAWNED_PID
MAINWIN=$WIN
if find_window "^$OFF: stopped\$" 30; then
	ok "a shut-off domain: window titled '$OFF: stopped'"
	xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key ctrl+alt+p
	check "the pause shortcut starts it (virsh domstate: running)" \
		wait_for 20 eval "[ \"\$(virsh domstate '$OFF' | head -n 1)\" = running ]"
	check "the window follows (running) and shows it" \
		eval "wait_for 30 title_is '$OFF: running' && wait_line 60 '$TMP/$OFF.serial' '^ready ' && lv_same_picture '$OFF' 30"
	"$XCLOSE" "$WIN" >/dev/null 2>&1
	wait_exit "$VPID3" 15
else
	fail "a shut-off domain opens a window titled stopped" "$(tail -n 2 "$TMP/vmplay3.log")"
fi
WIN=$MAINWIN

# libvirtd stopped while playing (only when this test started it)
if [ "$LV_OWN_DAEMON" = 1 ]; then
	kill -TERM "$LIBVIRTD_PID"
	check "libvirtd stopped while playing: the window says so" \
		wait_line 30 "$TMP/vmplay.log" 'Lost the connection to libvirt'
	sleep 0.5
	capture "$TMP/libvirtd-lost.png"
	"$XCLOSE" "$WIN" >/dev/null 2>&1
	if wait_exit "$VPID" 15; then
		ok "and closing the window ends vmplay (status $EXIT_STATUS)"
	else
		fail "closing the window after libvirtd stopped" "vmplay hangs"
	fi
	wait_exit "$LIBVIRTD_PID" 30
	# back, for the clean-up of the domains
	spawn libvirtd libvirtd
	wait_for 30 lv_daemon_up
else
	skip "libvirtd stopped while playing" "libvirtd was running before the test"
	"$XCLOSE" "$WIN" >/dev/null 2>&1
	wait_exit "$VPID" 15
fi
check "the domain outlives the window (libvirt owns it)" domstate running
finish
