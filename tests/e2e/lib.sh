# shellcheck shell=bash
# Variables set here for the sourcing script (GUEST_PID, EXIT_STATUS...):
# shellcheck disable=SC2034
# Shared helpers for the end-to-end scripts (tests/e2e/test_*.sh).
# Source it first thing:   . "$(dirname "$0")/lib.sh"
#
# Results:   ok NAME | fail NAME WHY | skip NAME WHY | check NAME CMD...
#            finish   (prints "N passed, N failed", exits 1 on any failure)
# Processes: spawn NAME CMD...   (background, output in $TMP/NAME.log,
#                                 pid in $SPAWNED_PID, killed at exit)
#            register_pid PID     (kill this one at exit too)
#            wait_exit PID TIMEOUT_S   (sets $EXIT_STATUS; 1 on timeout)
#            alive PID
# Polling:   wait_for TIMEOUT_S CMD...   (0 once CMD succeeds, 1 on timeout)
#            wait_file TIMEOUT_S PATH | wait_socket TIMEOUT_S PATH
#            wait_line TIMEOUT_S FILE REGEX   (grep -E on a growing log)
# X server:  start_xvfb [WxHxDEPTH]   (exports DISPLAY, default 1280x1024x24)
#            start_wm   (openbox on $DISPLAY, once it manages windows;
#                 returns 2 when openbox is not installed: skip then)
#            window_id TIMEOUT_S TITLE_REGEX   (prints a window's id)
#            window_by_title TITLE_REGEX   (the same, at once)
#            capture_window ID|root OUT.ppm    (import -window, 8-bit)
# Guest:     guest_kernel   (prints $BUILD/guest/vmplay-test-guest.elf)
#            guest_vm_text NAME [QEMU_ARGS] [MACHINE]  (prints such a file)
#            guest_vmfile NAME [MACHINE]  (writes $VMFILE, a VM booting the
#                 guest, test QMP $GUEST_QMP, serial $GUEST_SERIAL; vmplay
#                 needs --trust for it)
#            boot_guest NAME [QEMU ARGS...]  (plain QEMU with the test guest,
#                 QMP at $TMP/NAME.qmp, serial log $TMP/NAME.serial; sets
#                 GUEST_PID, GUEST_QMP, GUEST_SERIAL; waits for "ready")
# Tools:     qmp ARGS...  (tests/e2e/qmp.py)   ppm ARGS...  (tests/e2e/ppm.py)
#            vm OUT ERR ARGS... (runs $VMPLAY)   img_field IMAGE KEY
#            fingerprint FILE (hash + mtime)
#            json_get JSON KEY   (one field of a JSON object, for ppm status)
#
# Don't use `set -e` in scripts: a failed check returns non-zero so that
# `check ... || finish` can stop early, and set -e would end the script at
# the first failure without the summary line.
#
# Everything lives in $TMP (a fresh folder, removed at exit unless
# KEEP_TMP=1). Every process started through spawn/start_xvfb/boot_guest or
# registered with register_pid gets SIGTERM at exit, then SIGKILL after 5 s.
# Nothing here uses TCP.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$E2E_DIR/../.." && pwd)
: "${BUILD:=$E2E_ROOT/build}"
: "${VMPLAY:=$BUILD/vmplay}"
: "${QEMU:=qemu-system-x86_64}"
export BUILD VMPLAY QEMU
QMP_PY=$E2E_DIR/qmp.py
PPM_PY=$E2E_DIR/ppm.py

E2E_PASSED=0
E2E_FAILED=0
E2E_PIDS=()
TMP=$(mktemp -d "${TMPDIR:-/tmp}/vmplay-e2e.XXXXXX") || exit 2
export TMP

ok() {
	echo "ok - $1"
	E2E_PASSED=$((E2E_PASSED + 1))
}

fail() {
	echo "FAIL - $1${2:+: $2}"
	E2E_FAILED=$((E2E_FAILED + 1))
}

# A check that cannot run here (missing tool...): shown, not counted.
skip() {
	echo "skip - $1${2:+: $2}"
}

# check NAME CMD...: runs CMD; ok when it exits 0, else fail with the tail of
# its output (stdout and stderr, also kept in $TMP/check.out). CMD runs in
# this shell, not a subshell: a function may set variables or start
# processes (start_xvfb, spawn) through check.
check() {
	local name=$1 rc
	shift
	"$@" >"$TMP/check.out" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$name"
	else
		fail "$name" "exit $rc: $(tail -n 3 "$TMP/check.out" | tr '\n' ' ')"
	fi
	return "$rc"
}

finish() {
	echo "$E2E_PASSED passed, $E2E_FAILED failed"
	[ "$E2E_FAILED" -eq 0 ] && exit 0
	exit 1
}

register_pid() {
	E2E_PIDS+=("$1")
}

# alive PID: true while PID runs (a zombie, exited but not yet reaped,
# counts as gone).
alive() {
	local state
	[ -r "/proc/$1/stat" ] || return 1
	state=$(sed 's/^.*) \(.\).*$/\1/' "/proc/$1/stat" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]
}

# spawn NAME CMD...: runs CMD in the background with stdin from /dev/null
# and stdout+stderr in $TMP/NAME.log; its pid is in $SPAWNED_PID.
spawn() {
	local name=$1
	shift
	"$@" </dev/null >"$TMP/$name.log" 2>&1 &
	SPAWNED_PID=$!
	register_pid "$SPAWNED_PID"
}

# wait_exit PID TIMEOUT_S: waits for a child of this shell to end; its exit
# status goes to $EXIT_STATUS. Returns 1 (status unset) on timeout.
wait_exit() {
	local pid=$1 timeout=$2
	EXIT_STATUS=
	wait_for "$timeout" eval "! alive $pid" || return 1
	wait "$pid" 2>/dev/null
	EXIT_STATUS=$?
	return 0
}

# wait_for TIMEOUT_S CMD...: runs CMD every 0.1 s until it succeeds.
wait_for() {
	local timeout=$1 deadline
	shift
	deadline=$(($(date +%s%N) / 1000000 + ${timeout%.*} * 1000))
	while true; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(($(date +%s%N) / 1000000))" -ge "$deadline" ] && return 1
		sleep 0.1
	done
}

wait_file() { wait_for "$1" test -s "$2"; }
wait_socket() { wait_for "$1" test -S "$2"; }
wait_line() { wait_for "$1" grep -Eq -- "$3" "$2"; }

# start_xvfb [WxHxDEPTH]: a private X server on a free display number
# (Xvfb picks it and reports it through -displayfd); exports DISPLAY.
start_xvfb() {
	local screen=${1:-1280x1024x24} numfile="$TMP/xvfb.display"
	: >"$numfile"
	Xvfb -displayfd 3 -screen 0 "$screen" -nolisten tcp -noreset \
		3>"$numfile" </dev/null >"$TMP/xvfb.log" 2>&1 &
	XVFB_PID=$!
	register_pid "$XVFB_PID"
	if ! wait_for 20 grep -q '^[0-9]' "$numfile"; then
		echo "Xvfb did not start; its log:" >&2
		cat "$TMP/xvfb.log" >&2
		return 1
	fi
	DISPLAY=:$(head -n 1 "$numfile")
	export DISPLAY
}

# start_wm: openbox (a small EWMH window manager, Debian's `openbox`) on
# the test's X server, with its stock key bindings (Alt+Tab switches
# windows, A-F4 closes); returns once it manages windows: an EWMH window
# manager names its check window on the root window
# (_NET_SUPPORTING_WM_CHECK), and openbox does that after taking over.
# Returns 2 without openbox (skip the test), 1 when it does not come up.
start_wm() {
	command -v openbox >/dev/null || return 2
	command -v xprop >/dev/null || return 2
	# its own config and cache folders: nothing from the user's session
	mkdir -p "$TMP/wm-home"
	HOME=$TMP/wm-home XDG_CONFIG_HOME=$TMP/wm-home/.config \
		XDG_CACHE_HOME=$TMP/wm-home/.cache \
		openbox --sm-disable --config-file /etc/xdg/openbox/rc.xml \
		</dev/null >"$TMP/openbox.log" 2>&1 &
	WM_PID=$!
	register_pid "$WM_PID"
	if ! wait_for 20 eval "xprop -root _NET_SUPPORTING_WM_CHECK | grep -q 'window id'"; then
		echo "openbox did not take over the display; its log:" >&2
		cat "$TMP/openbox.log" >&2
		return 1
	fi
}

# window_id TIMEOUT_S TITLE_REGEX: waits for a visible window whose title
# matches and prints its id (xdotool).
window_id() {
	local timeout=$1 pattern=$2
	wait_for "$timeout" window_by_title "$pattern" >/dev/null || return 1
	window_by_title "$pattern"
}

# window_by_title REGEX: the id (decimal) of the first window whose title
# matches, or status 1. xdotool 3.2016 cannot read a title stored only as
# UTF8_STRING (SDL's own X11 message box does that), so xwininfo's view
# of the tree is asked too.
window_by_title() {
	local id wid name
	id=$(xdotool search --onlyvisible --name "$1" 2>/dev/null | head -n 1)
	if [ -z "$id" ] && command -v xwininfo >/dev/null; then
		while read -r wid name; do
			if [[ $name =~ $1 ]]; then
				id=$((wid))
				break
			fi
		done < <(xwininfo -root -tree 2>/dev/null |
			sed -nE 's/^ *(0x[0-9a-f]+) "(.*)": .*/\1 \2/p')
	fi
	[ -n "$id" ] && echo "$id"
}

# capture_window ID|root OUT.ppm|OUT.png: what the X server shows in that
# window (ImageMagick import, 8 bits per channel for ppm.py).
capture_window() {
	import -window "$1" -depth 8 "$2"
}

guest_kernel() {
	echo "$BUILD/guest/vmplay-test-guest.elf"
}

# boot_guest NAME [QEMU ARGS...]: the test guest under plain QEMU (TCG,
# -display none, std VGA), a QMP socket for the test and COM1 in a file.
# Extra arguments go last (e.g. -M q35, -vnc unix:PATH).
boot_guest() {
	local name=$1 kernel
	shift
	kernel=$(guest_kernel)
	if [ ! -f "$kernel" ]; then
		echo "test guest $kernel is missing: run make first" >&2
		return 1
	fi
	GUEST_QMP=$TMP/$name.qmp
	GUEST_SERIAL=$TMP/$name.serial
	: >"$GUEST_SERIAL"
	spawn "$name" "$QEMU" -accel tcg -m 64 -display none -vga std \
		-kernel "$kernel" -serial "file:$GUEST_SERIAL" \
		-qmp "unix:$GUEST_QMP,server=on,wait=off" -no-reboot "$@"
	GUEST_PID=$SPAWNED_PID
	if ! wait_line 60 "$GUEST_SERIAL" '^ready '; then
		echo "test guest did not report ready; QEMU log:" >&2
		cat "$TMP/$name.log" >&2
		return 1
	fi
}

# guest_vmfile NAME [MACHINE]: writes $TMP/NAME.vmplay, a VM that boots the
# test guest (TCG, 64M, no network or audio) with a second QMP socket for
# the test ($GUEST_QMP = $TMP/NAME.test.qmp) and COM1 in $GUEST_SERIAL
# ($TMP/NAME.serial), both through [qemu] args: run vmplay with --trust.
# Sets VMFILE to the file's path. Append more sections if needed.
guest_vmfile() {
	local name=$1 machine=${2:-pc}
	VMFILE=$TMP/$name.vmplay
	GUEST_QMP=$TMP/$name.test.qmp
	GUEST_SERIAL=$TMP/$name.serial
	: >"$GUEST_SERIAL"
	guest_vm_text "$name" \
		"-qmp unix:$GUEST_QMP,server=on,wait=off -serial file:$GUEST_SERIAL" \
		"$machine" >"$VMFILE"
}

# guest_vm_text NAME [QEMU_ARGS] [MACHINE]: prints a VM file that boots the
# test guest (direct kernel boot, TCG, no network, no audio), with a
# [qemu] args section when QEMU_ARGS is given (vmplay then needs --trust).
guest_vm_text() {
	cat <<EOF
[vm]
name = $1
memory = 64M
machine = ${3:-pc}
accel = tcg

[boot]
kernel = $(guest_kernel)

[network]
mode = none

[audio]
backend = none
device = none
EOF
	[ -z "${2:-}" ] || printf '\n[qemu]\nargs = %s\n' "$2"
}

# The Linux test guest (tests/linux-guest, make linux-guest): a Debian
# kernel booting to an initramfs with a clipboard agent and a KMS mode
# follower. linux_guest_vmfile NAME [DISPLAY KEYS] [MORE INI TEXT] writes
# $VMFILE (TCG,
# 256M, virtio display) with a test QMP socket $GUEST_QMP, the guest's
# reports in $GUEST_SERIAL (COM1) and its shell on the virtio port
# vmplay.shell ($GUEST_SHELL, a socket: guest_run writes a line to it);
# vmplay needs --trust. Returns 2
# when the guest is not built (linux_guest_ready).
linux_guest_ready() {
	[ -f "$BUILD/linux-guest/vmlinuz" ] && [ -f "$BUILD/linux-guest/initrd.img" ]
}

linux_guest_vmfile() {
	local name=$1
	linux_guest_ready || return 2
	VMFILE=$TMP/$name.vmplay
	GUEST_QMP=$TMP/$name.test.qmp
	GUEST_SERIAL=$TMP/$name.serial
	GUEST_SHELL=$TMP/$name.shell
	: >"$GUEST_SERIAL"
	cat >"$VMFILE" <<EOF
[vm]
name = $name
memory = 256M
machine = pc
accel = tcg

[boot]
kernel = $BUILD/linux-guest/vmlinuz
initrd = $BUILD/linux-guest/initrd.img
append = console=ttyS0 quiet panic=-1

[display]
device = virtio
${2:-}

[network]
mode = none

[audio]
backend = none
device = none

[qemu]
args = -qmp unix:$GUEST_QMP,server=on,wait=off -serial file:$GUEST_SERIAL -device virtio-serial-pci,id=testvs -chardev socket,id=testshell,path=$GUEST_SHELL,server=on,wait=off -device virtserialport,bus=testvs.0,chardev=testshell,name=vmplay.shell
${3:-}
EOF
}

# guest_run LINE: one shell command line for the Linux guest; returns
# once it ran (a marker it echoes shows in $GUEST_SERIAL), 1 after 60 s.
# The connection stays open until then: QEMU drops what the guest has not
# read yet when the client hangs up.
GUEST_RUNS=0
guest_run() {
	GUEST_RUNS=$((GUEST_RUNS + 1))
	python3 - "$GUEST_SHELL" "$GUEST_SERIAL" "$1" "guest-run-$GUEST_RUNS" <<'PY'
import socket, sys, time
sock, serial, line, marker = sys.argv[1:5]
s = socket.socket(socket.AF_UNIX)
s.connect(sock)
s.sendall(("%s; echo %s\n" % (line, marker)).encode())
end = time.monotonic() + 60
while time.monotonic() < end:
    with open(serial, "rb") as f:
        if (marker + "\n").encode() in f.read():
            sys.exit(0)
    time.sleep(0.1)
sys.exit(1)
PY
}

qmp() { python3 "$QMP_PY" "$@"; }
ppm() { python3 "$PPM_PY" "$@"; }

# json_get JSON KEY: prints one field (lists joined by spaces, booleans as
# true/false).
json_get() {
	python3 -c '
import json, sys
v = json.loads(sys.argv[1]).get(sys.argv[2])
if isinstance(v, list):
    print(" ".join(str(x) for x in v))
elif isinstance(v, bool):
    print("true" if v else "false")
elif v is not None:
    print(v)
' "$1" "$2"
}

e2e_cleanup() {
	local pid i
	for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
		pid=${E2E_PIDS[i]}
		alive "$pid" && kill -TERM "$pid" 2>/dev/null
	done
	for pid in "${E2E_PIDS[@]}"; do
		wait_for 5 eval "! alive $pid" || kill -KILL "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "# kept $TMP" >&2
	else
		rm -rf "$TMP"
	fi
}
trap e2e_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# vm OUT ERR ARGS...: runs $VMPLAY with ARGS, stdout to OUT and stderr to
# ERR; returns its exit status.
vm() {
	local out=$1 err=$2
	shift 2
	"$VMPLAY" "$@" >"$out" 2>"$err"
}

# img_field IMAGE KEY: one field of qemu-img's own JSON about an image
# (independent of vmplay; -U reads images a running QEMU holds).
img_field() {
	qemu-img info -U --output=json "$1" 2>/dev/null |
		python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$2"
}

# fingerprint FILE: content hash and mtime, to prove a file was not touched.
fingerprint() { echo "$(sha256sum <"$1") $(stat -c %Y.%y "$1")"; }
