#!/bin/bash
# vmplay --connect qemu+ssh://root@127.0.0.1:PORT/system DOMAIN: a domain on
# "another host" reached through SSH only. The test starts its own sshd on
# 127.0.0.1 (host key and client key made here, TCP forwarding refused, so
# the display cannot sneak through a forwarded port) and libvirt's daemon
# when none runs; the domain listens on a VNC unix socket
# (<listen type='socket'/>). Proven: the window's pixels equal
# `virsh screenshot`, keys arrive, no new listening TCP port appears
# besides the test's sshd (ss -ltn) and vmplay listens on none; a domain
# whose display listens nowhere (listen type='none') gets a clear message.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/player_lib.sh"
. "$(dirname "$0")/libvirt_lib.sh"

if missing=$(have_tools); then :; else
	skip "libvirt over ssh" "$missing missing"
	finish
fi
if [ "$(id -u)" != 0 ]; then
	skip "libvirt over ssh" "qemu:///system needs root to start libvirtd here"
	finish
fi
for t in virsh ssh ssh-keygen nc ss; do
	command -v "$t" >/dev/null || { skip "libvirt over ssh" "$t missing"; finish; }
done
[ -x /usr/sbin/sshd ] || { skip "libvirt over ssh" "sshd missing (openssh-server)"; finish; }
[ -f "$(guest_kernel)" ] || { fail "test guest built" "run make"; finish; }
chmod 755 "$TMP"
lv_start_daemon
case $? in
0) ok "libvirt's daemon answers at $LV_URI" ;;
2) skip "libvirt over ssh" "libvirtd missing (libvirt-daemon)"; finish ;;
*) fail "libvirtd starts"; finish ;;
esac

NAME=vmplay-e2e-ssh-$$
SERIAL=$TMP/$NAME.serial
check "domain defined (VNC on a unix socket)" lv_define "$NAME" \
	"$(lv_guest_xml "$NAME" "<graphics type='vnc'><listen type='socket'/></graphics>")" || finish
check "domain started" virsh start "$NAME" || finish
check "the guest is ready" wait_line 60 "$SERIAL" '^ready '

# the listening TCP ports before sshd and vmplay
listening() { ss -ltnH | awk '{print $4}' | sort -u; }
listening >"$TMP/ports.before"

# sshd on 127.0.0.1, keys made here
if lv_start_sshd ''; then
	ok "the test's sshd listens on 127.0.0.1:$LV_SSH_PORT"
else
	fail "the test's sshd listens"; finish
fi
PORT=$LV_SSH_PORT

URI="qemu+ssh://root@127.0.0.1:$PORT/system?keyfile=$TMP/id&known_hosts=$TMP/known_hosts&no_verify=1"
check "virsh reaches libvirt through it" command virsh -c "$URI" domstate "$NAME"

start_xvfb 1280x1024x24 || { fail "Xvfb starts"; finish; }
export SDL_VIDEODRIVER=x11
spawn vmplay "$VMPLAY" --connect "$URI" "$NAME"
VPID=$SPAWNED_PID
if find_window "^$NAME: running\$" 60; then
	ok "vmplay --connect qemu+ssh://root@127.0.0.1:$PORT/system: window up"
else
	fail "window up over ssh" "$(tail -n 3 "$TMP/vmplay.log")"
	finish
fi
xdotool windowfocus --sync "$WIN" 2>/dev/null
check "window pixels equal virsh screenshot (640x480)" lv_same_picture "$NAME" 30
xdotool key 2
check "keys arrive through the tunnel (mode 800x600)" \
	wait_line 20 "$SERIAL" '^mode 800x600$'
check "pixels equal after the switch (800x600)" lv_same_picture "$NAME" 30
virsh suspend "$NAME" >/dev/null
check "virsh suspend shows in the title (events over ssh)" \
	wait_for 15 title_is "$NAME: paused"
virsh resume "$NAME" >/dev/null
check "resumed: title running" wait_for 15 title_is "$NAME: running"

listening >"$TMP/ports.after"
new_ports=$(comm -13 "$TMP/ports.before" "$TMP/ports.after" | grep -v "^127.0.0.1:$PORT\$")
if [ -z "$new_ports" ]; then
	ok "ss -ltn: no new listening TCP port besides the test's sshd"
else
	fail "no new listening TCP port" "$(echo "$new_ports" | tr '\n' ' ')"
fi
check "vmplay itself listens on no TCP port" "$E2E_DIR/no_inet_listener.sh" "$VPID"

"$XCLOSE" "$WIN" >/dev/null 2>&1
if wait_exit "$VPID" 15 && [ "$EXIT_STATUS" = 0 ]; then
	ok "closing the window ends vmplay (status 0)"
else
	fail "closing the window ends vmplay" "status ${EXIT_STATUS:-still running}"
fi
check "the domain goes on (libvirt owns it)" \
	eval "[ \"\$(virsh domstate '$NAME' | head -n 1)\" = running ]"
check "no ssh tunnel left behind" eval "! pgrep -f -- '-U .*$NAME.*vnc' >/dev/null"

# A VM file naming the remote domain: shown and confirmed before the first
# connection, remembered afterwards.
export XDG_STATE_HOME=$TMP/state
cat >"$TMP/remote.vmplay" <<EOF
[vm]
name = remote-web

[libvirt]
uri = $URI
domain = $NAME
EOF
accepted() { grep -c 'Accepted publickey' "$TMP/sshd.log"; }
before=$(accepted)
timeout 30 env -u DISPLAY "$VMPLAY" "$TMP/remote.vmplay" </dev/null >/dev/null 2>"$TMP/ask.log"
status=$?
if [ "$status" = 1 ] && grep -q "not connecting to 127.0.0.1" "$TMP/ask.log" &&
	[ "$(accepted)" = "$before" ]; then
	ok "a VM file with a remote [libvirt] uri does not connect unasked (nobody to ask)"
else
	fail "a remote VM file does not connect unasked" "status $status, ssh logins $before -> $(accepted): $(head -n 2 "$TMP/ask.log")"
fi
printf 'n\n' | timeout 30 script -qec "'$VMPLAY' '$TMP/remote.vmplay'" /dev/null >"$TMP/ask.log" 2>&1
if grep -q "on the host 127.0.0.1 (qemu+ssh://" "$TMP/ask.log" &&
	[ "$(accepted)" = "$before" ]; then
	ok "on a terminal it says where it connects, and 'n' connects nowhere"
else
	fail "the question on a terminal" "$(tr '\r\n' '  ' <"$TMP/ask.log" | cut -c1-200)"
fi
(printf 'y\n'; sleep 60) | script -qec "'$VMPLAY' '$TMP/remote.vmplay'" "$TMP/typescript" >/dev/null 2>&1 &
SCRIPT_PID=$!
register_pid "$SCRIPT_PID"
if find_window '^remote-web: running$' 60; then
	ok "'y' plays it: window 'remote-web: running'"
else
	fail "'y' plays the remote VM file" "$(tr '\r\n' '  ' <"$TMP/typescript" | tail -c 300)"
fi
check "the answer is remembered for this file and URI" \
	grep -qF "$TMP/remote.vmplay	$URI" "$XDG_STATE_HOME/vmplay/libvirt-hosts"
"$XCLOSE" "$WIN" >/dev/null 2>&1
wait_for 15 eval "! window_by_title '^remote-web: '"
spawn vmplay2 env VMPLAY_MESSAGE_BOX=0 "$VMPLAY" "$TMP/remote.vmplay"
if find_window '^remote-web: running$' 60; then
	ok "the next time it plays without asking (a double-click)"
else
	fail "the next time it plays without asking" "$(tail -n 2 "$TMP/vmplay2.log")"
fi
"$XCLOSE" "$WIN" >/dev/null 2>&1
wait_exit "$SPAWNED_PID" 15

# listen type='none' cannot be reached from another host: said at once
NONE=vmplay-e2e-ssh-none-$$
lv_define "$NONE" "$(lv_guest_xml "$NONE" "<graphics type='vnc'><listen type='none'/></graphics>")"
timeout 60 env -u DISPLAY "$VMPLAY" --connect "$URI" "$NONE" >/dev/null 2>"$TMP/none.log"
status=$?
if [ "$status" = 1 ] && grep -q "listen type 'none'" "$TMP/none.log"; then
	ok "listen type='none' over ssh: $(head -n 1 "$TMP/none.log" | cut -c1-120)..."
else
	fail "listen type='none' over ssh" "status $status: $(head -n 2 "$TMP/none.log")"
fi
finish
