#!/bin/bash
# libvirt's questions in a window (issue 15, authentication prompts): a
# vmplay started without a terminal (as the library and desktop files
# start it) connects with qemu+libssh2:// to the test's own sshd on
# 127.0.0.1 with a key that has a passphrase; libvirt asks for it through
# vmplay's callback, which shows a window; the passphrase typed there
# connects and the domain plays (the display's own ssh takes the key from
# an agent, as a desktop session would). Escape in that window declines:
# a clear message, status 1, no hang.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"
. "$(dirname "$0")/libvirt_lib.sh"

if missing=$(have_tools); then :; else
	skip "libvirt prompts" "$missing missing"
	finish
fi
if [ "$(id -u)" != 0 ]; then
	skip "libvirt prompts" "qemu:///system needs root to start libvirtd here"
	finish
fi
for t in virsh ssh ssh-keygen ssh-agent ssh-add nc ss setsid; do
	command -v "$t" >/dev/null || { skip "libvirt prompts" "$t missing"; finish; }
done
[ -x /usr/sbin/sshd ] || { skip "libvirt prompts" "sshd missing (openssh-server)"; finish; }
[ -f "$(guest_kernel)" ] || { fail "test guest built" "run make"; finish; }
chmod 755 "$TMP"
lv_start_daemon
case $? in
0) ok "libvirt's daemon answers at $LV_URI" ;;
2) skip "libvirt prompts" "libvirtd missing (libvirt-daemon)"; finish ;;
*) fail "libvirtd starts"; finish ;;
esac

NAME=vmplay-e2e-ask-$$
check "domain defined (VNC on a unix socket)" lv_define "$NAME" \
	"$(lv_guest_xml "$NAME" "<graphics type='vnc'><listen type='socket'/></graphics>")" || finish
check "domain started" virsh start "$NAME" || finish

# sshd on 127.0.0.1; the client key has a passphrase
PASSPHRASE="open sesame 42"
if lv_start_sshd "$PASSPHRASE"; then
	ok "the test's sshd listens on 127.0.0.1:$LV_SSH_PORT"
else
	fail "the test's sshd listens"; finish
fi
PORT=$LV_SSH_PORT

# the display's ssh (the ssh program) finds the key in an agent; libvirt's
# own connection (libssh2, sshauth=privkey) reads the key file and asks
eval "$(ssh-agent -s -a "$TMP/agent.sock")" >/dev/null
register_pid "$SSH_AGENT_PID"
printf '#!/bin/sh\necho "%s"\n' "$PASSPHRASE" >"$TMP/askpass"
chmod 700 "$TMP/askpass"
SSH_ASKPASS=$TMP/askpass SSH_ASKPASS_REQUIRE=force setsid ssh-add "$TMP/id" </dev/null >/dev/null 2>&1
check "the agent holds the key (for the display's ssh)" ssh-add -l
rm -f "$TMP/askpass"

URI="qemu+libssh2://root@127.0.0.1:$PORT/system?keyfile=$TMP/id&known_hosts=$TMP/known_hosts&known_hosts_verify=ignore&no_verify=1&sshauth=privkey"

start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11 VMPLAY_MESSAGE_BOX=0

# started without a terminal: setsid, stdin from /dev/null
spawn vmplay setsid "$VMPLAY" --verbose --connect "$URI" "$NAME"
VPID=$SPAWNED_PID
if find_window '^vmplay: libvirt asks$' 30; then
	ok "libvirt's question comes in a window titled 'vmplay: libvirt asks'"
else
	fail "the question window" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
ASK=$WIN
check "  ... libvirt asked for the key's passphrase (its log)" \
	grep -q "libvirt asks .*Passphrase for key '$TMP/id'" "$TMP/vmplay.log"
xdotool windowactivate --sync "$ASK" 2>/dev/null || xdotool windowfocus --sync "$ASK" 2>/dev/null
xdotool type --delay 30 "$PASSPHRASE"
sleep 0.3
capture_window "$ASK" "$TMP/ask.png"   # dots, not the passphrase (KEEP_TMP=1)
xdotool key Return
if find_window "^$NAME: running\$" 60; then
	ok "the passphrase typed there connects: the window plays the domain"
else
	fail "the domain's window after the passphrase" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
check "  ... its pixels equal virsh screenshot" lv_same_picture "$NAME" 60
"$XCLOSE" "$WIN" >/dev/null 2>&1
wait_exit "$VPID" 15

# Escape declines: a message, status 1, at once
spawn vmplay2 setsid "$VMPLAY" --connect "$URI" "$NAME"
VPID2=$SPAWNED_PID
if find_window '^vmplay: libvirt asks$' 30; then
	xdotool windowactivate --sync "$WIN" 2>/dev/null || xdotool windowfocus --sync "$WIN" 2>/dev/null
	xdotool key Escape
	wait "$VPID2"
	status=$?
	check "Escape declines: status 1 ($status)" test "$status" = 1
	check "  ... with libvirt's message (cannot connect ...)" \
		grep -q "cannot connect to libvirt at qemu+libssh2://" "$TMP/vmplay2.log"
else
	fail "the question window, again" "$(tail -n 3 "$TMP/vmplay2.log")"
fi
finish
