#!/bin/bash
# vmplay --dry-run and vmplay check against the real QEMU: every golden VM
# file's printed command line is started (with -S, so no guest runs) and
# must reach "prelaunch" on a test QMP socket with no TCP listener; the dry
# run itself must start and create nothing. `vmplay check` passes here and
# fails, saying what to install, without QEMU in PATH.
set -u
: "${VMPLAY:?VMPLAY must name the vmplay binary}"
HERE=$(cd "$(dirname "$0")" && pwd)
GOLDEN=$HERE/../golden
passed=0 failed=0
pass() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }
check() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

T=$(mktemp -d /tmp/vmplay-e2e-dryrun-XXXXXX)
QEMU_PID=
cleanup() {
	if [ -n "$QEMU_PID" ] && kill -0 "$QEMU_PID" 2>/dev/null; then
		kill -KILL "$QEMU_PID" 2>/dev/null
		wait "$QEMU_PID" 2>/dev/null
	fi
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export XDG_RUNTIME_DIR=$T/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"

# Creates the files a VM file names (disks in their format, a CD image, a
# multiboot kernel QEMU accepts, an initrd) next to it.
cat > "$T/prepare.py" <<'EOF'
import configparser, os, struct, subprocess, sys
path = sys.argv[1]
folder = os.path.dirname(path)
ini = configparser.ConfigParser(inline_comment_prefixes=(';', '#'),
                                comment_prefixes=(';', '#'))
ini.read(path)
def place(name):
    return os.path.join(folder, name)
for sec in ini.sections():
    s = ini[sec]
    if sec.startswith('disk.'):
        fmt = s.get('format', 'qcow2') or 'qcow2'
        subprocess.run(['qemu-img', 'create', '-q', '-f', fmt,
                        place(s['file']), '16M'], check=True)
    elif sec == 'cdrom' and s.get('file'):
        with open(place(s['file']), 'wb') as f:
            f.truncate(2048 * 64)
    elif sec == 'boot':
        if s.get('kernel'):
            # Multiboot header with the a.out kludge: loaded at 1 MiB.
            magic, flags = 0x1BADB002, 0x00010000
            head = struct.pack('<8I', magic, flags,
                               (-(magic + flags)) & 0xffffffff,
                               0x100000, 0x100000, 0, 0, 0x100020)
            with open(place(s['kernel']), 'wb') as f:
                f.write(head + b'\xf4' * (8192 - len(head)))
        if s.get('initrd'):
            with open(place(s['initrd']), 'wb') as f:
                f.write(b'initrd\n')
EOF

# Talks to QEMU's test monitor: prints the status, or with "quit" ends
# QEMU (a second connection: QEMU's monitor takes one client at a time).
cat > "$T/qmp.py" <<'EOF'
import json, os, socket, sys, time
sock_path, deadline = sys.argv[1], time.time() + 60
while not os.path.exists(sock_path):
    if time.time() > deadline:
        sys.exit('no QMP socket')
    time.sleep(0.05)
s = socket.socket(socket.AF_UNIX)
s.connect(sock_path)
f = s.makefile('rw')
f.readline()
def cmd(name):
    f.write(json.dumps({'execute': name}) + '\n')
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if 'event' not in reply:
            return reply
cmd('qmp_capabilities')
if sys.argv[2:] == ['quit']:
    cmd('quit')
else:
    print(cmd('query-status')['return']['status'])
EOF

# No TCP listener or UDP socket in process $1 (by socket inode: `ss -p`
# shows nothing, and so passes, when process details are hidden).
no_tcp_listener() {
	"$HERE/no_inet_listener.sh" "$1" >&2
}

# One golden VM file: dry run, then the line itself under QEMU.
try_golden() {
	local name=$1 dir=$T/vm/$1
	mkdir -p "$dir"
	cp "$GOLDEN/$name.vmplay" "$dir/"
	python3 "$T/prepare.py" "$dir/$name.vmplay" || { fail "$name: test files"; return; }
	local out err=$T/err rc
	out=$("$VMPLAY" --dry-run "$dir/$name.vmplay" 2>"$err")
	rc=$?
	if [ $rc -ne 0 ] || [ -z "$out" ] || [ "$(printf '%s\n' "$out" | wc -l)" -ne 1 ]; then
		fail "$name: --dry-run printed one line (status $rc: $(cat "$err"))"
		return
	fi
	pass "$name: --dry-run printed one line"
	check "$name: dry run created no runtime folder" test ! -e "$XDG_RUNTIME_DIR/vmplay"
	check "$name: dry run created no UEFI variables" \
		test -z "$(find "$dir" -name '*.efivars*')"
	local -a args
	eval "args=($out)"
	local vnc= qmp= i
	for ((i = 0; i < ${#args[@]} - 1; i++)); do
		case ${args[i]} in
		-vnc) vnc=${args[i + 1]} ;;
		-qmp) qmp=${args[i + 1]} ;;
		-k) fail "$name: -k on the command line" ;;
		esac
	done
	vnc=${vnc#unix:}; vnc=${vnc%%,lossy=*}
	qmp=${qmp#unix:}; qmp=${qmp%%,server=*}
	case $vnc in
	"$XDG_RUNTIME_DIR"/vmplay/*/vnc.sock) pass "$name: VNC socket in the runtime folder" ;;
	*) fail "$name: VNC socket in the runtime folder ($vnc)" ;;
	esac
	check "$name: QMP socket beside it" test "$(dirname "$qmp")" = "$(dirname "$vnc")"
	mkdir -p -m 0700 "$(dirname "$vnc")"
	# What vmplay does before the first start of a UEFI VM.
	local vars
	for ((i = 0; i < ${#args[@]}; i++)); do
		case ${args[i]} in
		*node-name=efivars,file=*) vars=${args[i]#*node-name=efivars,file=} ;;
		*) continue ;;
		esac
		vars=${vars//,,/,}
		qemu-img convert -q -f raw -O qcow2 "$OVMF_VARS" "$vars"
	done
	local test_qmp=$T/test-qmp.sock
	rm -f "$test_qmp"
	"${args[@]}" -S -qmp "unix:$test_qmp,server=on,wait=off" \
		>"$T/qemu.log" 2>&1 </dev/null &
	QEMU_PID=$!
	local status
	status=$(python3 "$T/qmp.py" "$test_qmp" 2>>"$T/qemu.log")
	check "$name: QEMU accepts the line (prelaunch)" test "$status" = prelaunch
	if [ "$status" = prelaunch ]; then
		# While QEMU runs: checked after it quit, this passed always.
		check "$name: no TCP listener" no_tcp_listener "$QEMU_PID"
	fi
	python3 "$T/qmp.py" "$test_qmp" quit 2>>"$T/qemu.log"
	local deadline=$((SECONDS + 30))
	while kill -0 "$QEMU_PID" 2>/dev/null && [ $SECONDS -lt $deadline ]; do
		sleep 0.1
	done
	kill -KILL "$QEMU_PID" 2>/dev/null
	wait "$QEMU_PID"
	rc=$?
	QEMU_PID=
	check "$name: QEMU quit cleanly" test $rc -eq 0
	# QEMU warns on stderr about anything odd in the line: there must be
	# nothing.
	if [ -s "$T/qemu.log" ]; then
		fail "$name: QEMU said nothing"; sed 's/^/    /' "$T/qemu.log"
	else
		pass "$name: QEMU said nothing"
	fi
	rm -rf "$XDG_RUNTIME_DIR/vmplay"
}

# forwards.vmplay is left out: its listeners would use TCP ports.
for name in one-disk disks-q35 disks-pc cd-only cd-empty kernel-boot \
	    audio-off ps2 comma-path pc q35 display qemu-args; do
	try_golden "$name"
done
OVMF_VARS=
for v in /usr/share/OVMF/OVMF_VARS_4M.fd /usr/share/OVMF/OVMF_VARS.fd; do
	[ -e "$v" ] && { OVMF_VARS=$v; break; }
done
if [ -n "$OVMF_VARS" ]; then
	try_golden uefi
else
	echo "skip uefi: OVMF is not installed (apt-get install ovmf)"
fi

# A disk whose file is missing: the dry run fails naming it.
mkdir -p "$T/bad"
printf '[disk.system]\nfile = nowhere.qcow2\n' > "$T/bad/bad.vmplay"
out=$("$VMPLAY" --dry-run "$T/bad/bad.vmplay" 2>&1)
rc=$?
check "missing disk: --dry-run fails" test $rc -ne 0
case $out in
*"disk 'system'"*nowhere.qcow2*) pass "missing disk: the message names it" ;;
*) fail "missing disk: the message names it ($out)" ;;
esac

# vmplay check
out=$("$VMPLAY" check 2>&1)
rc=$?
check "check: exit 0 with QEMU installed" test $rc -eq 0
for item in qemu qemu-img kvm audio video uefi font; do
	if printf '%s\n' "$out" | grep -Eq "^(ok|warning|missing) +$item "; then
		pass "check: a line for $item"
	else
		fail "check: a line for $item"
	fi
done
check "check: QEMU's version" grep -q "^ok *qemu .*[0-9]\+\.[0-9]\+" <<<"$out"
out=$(PATH=/nonexistent "$VMPLAY" check 2>&1)
rc=$?
check "check without QEMU in PATH: exit non-zero" test $rc -ne 0
check "check without QEMU in PATH: says what to install" \
	grep -q "apt-get install qemu-system-x86" <<<"$out"
out=$(VMPLAY_QEMU=$T/no-such-qemu "$VMPLAY" check 2>&1)
rc=$?
check "check with VMPLAY_QEMU missing: exit non-zero" test $rc -ne 0

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
