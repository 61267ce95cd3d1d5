#!/bin/bash
# vmplay --headless against real QEMU and the test guest: boot, the guest's
# picture through the test's own QMP monitor (added with [qemu] args), keys
# reaching the guest, no TCP listener, power-off ending vmplay with 0, the
# Ctrl+C sequence (the test guest ignores ACPI), a guest powering off after
# Ctrl+C, the powerdown timeout, a QEMU that fails to start, and QEMU dying
# with a SIGKILLed vmplay.
. "$(dirname "$0")/lib.sh"

KERNEL=$(guest_kernel)
if [ ! -f "$KERNEL" ]; then
	fail "test guest" "$KERNEL is missing (make builds it)"
	finish
fi

# A private runtime base, so leftovers are easy to see and go with $TMP.
export XDG_RUNTIME_DIR=$TMP/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"
RUNBASE=$XDG_RUNTIME_DIR/vmplay

# vm_file NAME [EXTRA QEMU ARGS]: the test guest by direct kernel boot, with
# the test's QMP monitor at $TMP/NAME.qmp and COM1 in $TMP/NAME.serial.
vm_file() {
	local name=$1 extra=$2
	guest_vm_text "$name" "-qmp unix:$TMP/$name.qmp,server=on,wait=off -serial file:$TMP/$name.serial $extra" \
		>"$TMP/$name.vmplay"
	: >"$TMP/$name.serial"
}

# start NAME: vmplay --headless in the background (pid in $VM_PID, output
# in $TMP/NAME.log); waits for its "running" line and the guest's "ready",
# then sets $QEMU_PID and $RUNDIR.
start() {
	local name=$1
	spawn "$name" "$VMPLAY" --headless --trust "$TMP/$name.vmplay"
	VM_PID=$SPAWNED_PID
	QEMU_PID= RUNDIR=
	if ! wait_line 60 "$TMP/$name.log" "^$name: running, runtime folder "; then
		fail "$name: vmplay reports the VM running" "$(tail -n 5 "$TMP/$name.log")"
		return 1
	fi
	RUNDIR=$(sed -n "s/^$name: running, runtime folder //p" "$TMP/$name.log")
	QEMU_PID=$(pgrep -P "$VM_PID" -f qemu-system | head -n 1)
	[ -n "$QEMU_PID" ] && register_pid "$QEMU_PID"
	if ! wait_line 60 "$TMP/$name.serial" '^ready '; then
		fail "$name: the guest boots" "serial: $(tail -n 3 "$TMP/$name.serial")"
		return 1
	fi
}

gone() { ! alive "$1"; }
# (a function, so pgrep does not find the checking command itself)
no_process_matching() { ! pgrep -f "$1" >/dev/null; }

# --- boot, picture, keys, sockets ----------------------------------------
vm_file main
if start main; then
	ok "main: boots under vmplay --headless"
	check "main: runtime folder is private and holds both sockets" \
		bash -c "[ \"\$(stat -c %a '$RUNDIR')\" = 700 ] && [ -S '$RUNDIR/vnc.sock' ] && [ -S '$RUNDIR/qmp.sock' ]"
	case $RUNDIR in
	"$RUNBASE"/main-"$VM_PID") ok "main: runtime folder is \$XDG_RUNTIME_DIR/vmplay/NAME-PID" ;;
	*) fail "main: runtime folder is \$XDG_RUNTIME_DIR/vmplay/NAME-PID" "$RUNDIR" ;;
	esac

	qmp "$TMP/main.qmp" screendump "$TMP/boot.ppm"
	check "main: the screendump shows the guest's picture" ppm picture "$TMP/boot.ppm"
	before=$(ppm status "$TMP/boot.ppm")
	count0=$(json_get "$before" count)

	# x and b do nothing in the guest but land in its status area: press
	# and release of each, most recent first.
	check "main: keys sent through the test monitor" qmp "$TMP/main.qmp" send-key x b
	key_seen() {
		qmp "$TMP/main.qmp" screendump "$TMP/keys.ppm" || return 1
		local st
		st=$(ppm status "$TMP/keys.ppm") || return 1
		[ "$(json_get "$st" count)" = $((count0 + 4)) ] &&
			[ "$(json_get "$st" keys | cut -d' ' -f1-4)" = "b0 30 ad 2d" ]
	}
	if wait_for 20 key_seen; then
		ok "main: the status area shows the keys (2d ad 30 b0)"
	else
		fail "main: the status area shows the keys" \
			"before: $before after: $(ppm status "$TMP/keys.ppm" 2>&1)"
	fi
	check "main: the guest logs the keys on its serial port" \
		wait_line 10 "$TMP/main.serial" '^key b0$'

	# ss -p needs to see QEMU's sockets: we started it, so we may.
	if [ -n "$QEMU_PID" ]; then
		tcp=$(ss -Htlnp 2>/dev/null | grep "pid=$QEMU_PID," || true)
		tcp6=$(ss -Htlnup 2>/dev/null | grep "pid=$QEMU_PID," || true)
		if [ -z "$tcp$tcp6" ]; then
			ok "main: QEMU listens on no TCP or UDP port"
		else
			fail "main: QEMU listens on no TCP or UDP port" "$tcp $tcp6"
		fi
		unix=$(ss -Hxlp 2>/dev/null | grep "pid=$QEMU_PID,")
		if grep -q "$RUNDIR/vnc.sock" <<<"$unix" &&
			grep -q "$RUNDIR/qmp.sock" <<<"$unix"; then
			ok "main: QEMU listens on the unix sockets in the runtime folder"
		else
			fail "main: QEMU listens on the unix sockets" "$unix"
		fi
	else
		fail "main: QEMU is vmplay's child"
	fi

	# The guest powers itself off on 'p': vmplay ends with 0.
	qmp "$TMP/main.qmp" send-key p
	if wait_exit "$VM_PID" 60; then
		if [ "$EXIT_STATUS" = 0 ]; then
			ok "main: guest power-off ends vmplay with status 0"
		else
			fail "main: guest power-off ends vmplay with status 0" \
				"status $EXIT_STATUS: $(tail -n 3 "$TMP/main.log")"
		fi
		check "main: vmplay says the guest powered off" \
			grep -q "the guest powered off" "$TMP/main.log"
		check "main: no QEMU left" wait_for 10 gone "$QEMU_PID"
		check "main: runtime folder removed" bash -c "[ ! -e '$RUNDIR' ]"
	else
		fail "main: guest power-off ends vmplay" "still running after 60 s"
	fi
fi

# --- Ctrl+C twice ---------------------------------------------------------
vm_file sigint
if VMPLAY_POWERDOWN_TIMEOUT=600 start sigint; then
	kill -INT "$VM_PID"
	check "sigint: first SIGINT asks the guest to shut down" \
		wait_line 20 "$TMP/sigint.log" "asked the guest to shut down; Ctrl\+C again"
	# The test guest has no ACPI: QEMU must still be there.
	sleep 1
	check "sigint: QEMU keeps running while the guest decides" alive "$QEMU_PID"
	kill -INT "$VM_PID"
	if wait_exit "$VM_PID" 30; then
		if [ "$EXIT_STATUS" = 130 ]; then
			ok "sigint: second SIGINT stops QEMU, vmplay exits 130"
		else
			fail "sigint: vmplay exits 130" "status $EXIT_STATUS"
		fi
		check "sigint: no QEMU left" wait_for 10 gone "$QEMU_PID"
	else
		fail "sigint: second SIGINT ends vmplay" "still running after 30 s"
	fi
fi

# --- Ctrl+C, then the guest shuts down after all -------------------------
vm_file late
if VMPLAY_POWERDOWN_TIMEOUT=600 start late; then
	kill -INT "$VM_PID"
	wait_line 20 "$TMP/late.log" "asked the guest to shut down"
	# As if the guest had handled the request: it powers off (key p).
	qmp "$TMP/late.qmp" send-key p
	if wait_exit "$VM_PID" 60; then
		if [ "$EXIT_STATUS" = 0 ]; then
			ok "late: a guest that powers off after Ctrl+C ends vmplay with 0"
		else
			fail "late: vmplay exits 0" "status $EXIT_STATUS"
		fi
		check "late: no QEMU left" wait_for 10 gone "$QEMU_PID"
	else
		fail "late: guest power-off ends vmplay" "still running after 60 s"
	fi
fi

# --- SIGTERM and the powerdown timeout ------------------------------------
vm_file timeout
if VMPLAY_POWERDOWN_TIMEOUT=2 start timeout; then
	kill -TERM "$VM_PID"
	if wait_exit "$VM_PID" 40; then
		if [ "$EXIT_STATUS" = 143 ]; then
			ok "timeout: after SIGTERM and the powerdown timeout vmplay exits 143"
		else
			fail "timeout: vmplay exits 143" "status $EXIT_STATUS"
		fi
		check "timeout: says the guest did not shut down in time" \
			grep -q "did not shut down within 2 s" "$TMP/timeout.log"
		check "timeout: no QEMU left" wait_for 10 gone "$QEMU_PID"
	else
		fail "timeout: vmplay stops QEMU after the timeout" "still running after 40 s"
	fi
fi

# --- vmplay killed outright -----------------------------------------------
vm_file sigkill
if start sigkill; then
	kill -KILL "$VM_PID"
	wait "$VM_PID" 2>/dev/null
	check "sigkill: QEMU goes with a SIGKILLed vmplay" wait_for 20 gone "$QEMU_PID"
	STALE=$RUNDIR
fi

# --- QEMU refusing its arguments ------------------------------------------
vm_file badargs "-bogus-option"
spawn badargs "$VMPLAY" --headless --trust "$TMP/badargs.vmplay"
if wait_exit "$SPAWNED_PID" 60; then
	if [ "$EXIT_STATUS" = 1 ]; then
		ok "badargs: QEMU failing to start ends vmplay with status 1"
	else
		fail "badargs: vmplay exits 1" "status $EXIT_STATUS"
	fi
	check "badargs: QEMU's own message is shown" \
		grep -q -- "-bogus-option: invalid option" "$TMP/badargs.log"
	check "badargs: no QEMU left" no_process_matching "$TMP/badargs.qmp"
	if [ -n "${STALE:-}" ]; then
		check "badargs: the SIGKILLed vmplay's runtime folder was cleaned up" \
			bash -c "[ ! -e '$STALE' ]"
	fi
	left=$(ls -A "$RUNBASE" 2>/dev/null)
	if [ -z "$left" ]; then
		ok "no runtime folders left behind"
	else
		fail "no runtime folders left behind" "$left"
	fi
else
	fail "badargs: vmplay ends when QEMU cannot start" "still running after 60 s"
fi

finish
