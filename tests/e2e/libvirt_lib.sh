# shellcheck shell=bash
# Helpers for the libvirt end-to-end scripts (test_libvirt*.sh). Source
# after lib.sh and player_lib.sh.
#
# lv_start_daemon   libvirt's daemons for qemu:///system: reuses running
#                   ones, else starts virtlogd and libvirtd in the
#                   foreground as children of the test (killed at exit, no
#                   systemd needed); sets LV_OWN_DAEMON=1 when started here.
#                   Needs root (qemu:///system).
# lv_guest_xml NAME GRAPHICS [EXTRA_DEVICES]   prints a TCG domain booting
#                   the test guest (<os><kernel>), std VGA, COM1 in
#                   $TMP/NAME.serial, a qcow2 disk $TMP/NAME.qcow2 (so that
#                   internal snapshots with memory work) and an empty CD
#                   drive; GRAPHICS is the <graphics> element ("" for none).
# lv_define NAME XML   defines it (undefined at exit)
# virsh ARGS...     virsh -c qemu:///system
# lv_same_picture NAME [TRIES]   the window ($WIN) shows exactly what
#                   `virsh screenshot` shows, size included.
# lv_start_sshd [PASSPHRASE]   an sshd of the test's own on 127.0.0.1 (host
#                   key and client key $TMP/id made here, the client key
#                   with PASSPHRASE, forwarding refused); sets LV_SSH_PORT.
#                   Returns 1 when it does not listen.

LV_URI=qemu:///system
LV_DOMAINS=()
LV_OWN_DAEMON=0

virsh() { command virsh -q -c "$LV_URI" "$@"; }

lv_daemon_up() { command virsh -q -c "$LV_URI" version >/dev/null 2>&1; }

lv_start_daemon() {
	lv_daemon_up && return 0
	command -v libvirtd >/dev/null || return 2
	if ! pgrep -x virtlogd >/dev/null; then
		spawn virtlogd virtlogd
	fi
	spawn libvirtd libvirtd
	LIBVIRTD_PID=$SPAWNED_PID
	LV_OWN_DAEMON=1
	wait_for 30 lv_daemon_up
}

lv_guest_xml() {
	local name=$1 graphics=$2 extra=${3:-}
	qemu-img create -q -f qcow2 "$TMP/$name.qcow2" 16M
	: >"$TMP/$name.serial"
	chmod 666 "$TMP/$name.serial" "$TMP/$name.qcow2"
	cat <<EOF
<domain type='qemu'>
  <name>$name</name>
  <memory unit='MiB'>64</memory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>$(guest_kernel)</kernel></os>
  <on_poweroff>destroy</on_poweroff>
  <devices>
    <emulator>$(command -v "$QEMU")</emulator>
    <disk type='file' device='disk'>
      <driver name='qemu' type='qcow2'/>
      <source file='$TMP/$name.qcow2'/>
      <target dev='hda' bus='ide'/>
    </disk>
    <disk type='file' device='cdrom'>
      <target dev='hdc' bus='ide'/>
      <readonly/>
    </disk>
    $graphics
    <video><model type='vga'/></video>
    <serial type='file'><source path='$TMP/$name.serial'/></serial>
    <input type='tablet' bus='usb'/>
    <audio id='1' type='none'/>
    $extra
  </devices>
</domain>
EOF
}

lv_define() {
	echo "$2" >"$TMP/$1.xml"
	virsh define "$TMP/$1.xml" >/dev/null || return 1
	LV_DOMAINS+=("$1")
}

lv_cleanup() {
	local d
	lv_daemon_up || return 0
	for d in "${LV_DOMAINS[@]}"; do
		virsh destroy "$d" >/dev/null 2>&1
		virsh undefine "$d" --snapshots-metadata >/dev/null 2>&1
	done
}

# lv_same_picture DOMAIN [TRIES]: the window equals virsh screenshot.
lv_same_picture() {
	window_matches "${2:-15}" "$TMP/lvref.png" virsh screenshot "$1" "$TMP/lvref.png"
}

lv_start_sshd() {
	ssh-keygen -q -t ed25519 -N '' -f "$TMP/host_key" || return 1
	ssh-keygen -q -t ed25519 -N "${1:-}" -f "$TMP/id" || return 1
	cp "$TMP/id.pub" "$TMP/authorized_keys"
	chmod 600 "$TMP/authorized_keys" "$TMP/host_key" "$TMP/id"
	LV_SSH_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	cat >"$TMP/sshd_config" <<EOF
Port $LV_SSH_PORT
ListenAddress 127.0.0.1
HostKey $TMP/host_key
AuthorizedKeysFile $TMP/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $TMP/sshd.pid
AllowTcpForwarding no
AllowStreamLocalForwarding no
X11Forwarding no
EOF
	mkdir -p /run/sshd
	spawn sshd /usr/sbin/sshd -D -e -f "$TMP/sshd_config"
	wait_for 20 eval "ss -ltnH | grep -q '127.0.0.1:$LV_SSH_PORT '"
}

# The domains go before the daemon that holds them (lib.sh's exit trap
# kills the daemon).
trap 'lv_cleanup; e2e_cleanup' EXIT
