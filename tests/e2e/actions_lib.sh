# Helpers for the scripts that drive vm_actions headless through
# $BUILD/tests/actions-driver (test_actions.sh, test_snapshot_kinds.sh):
# the driver runs the player's vm_session + vm_actions loop and takes one
# command a line on stdin, answering with lines and then "done".
# Source after lib.sh.

DRIVER=$BUILD/tests/actions-driver

# start_driver NAME: the driver on $TMP/NAME.vmplay as a coprocess (COM1
# in $TMP/NAME.serial, emptied; its stderr added to $TMP/NAME.driver.log);
# true once it says "ready".
start_driver() {
	: >"$TMP/$1.serial"
	coproc DRV { exec "$DRIVER" "$TMP/$1.vmplay" 2>>"$TMP/$1.driver.log"; }
	register_pid "$DRV_PID"
	IN=${DRV[1]} OUT_FD=${DRV[0]}
	local line
	IFS= read -r -t 60 line <&"$OUT_FD"
	[ "$line" = ready ]
}

# stop_driver: closes its input (it stops the VM and ends).
stop_driver() {
	exec {IN}>&-
	wait_exit "$DRV_PID" 60 || fail "driver ends" "still running"
}

# cmd TIMEOUT_S COMMAND: sends a command; its output (without "done") goes
# to $OUT. 1 on timeout.
cmd() {
	local line
	OUT=
	echo "$2" >&"$IN"
	while IFS= read -r -t "$1" line <&"$OUT_FD"; do
		[ "$line" = done ] && return 0
		OUT+=$line$'\n'
	done
	echo "no 'done' for '$2' within $1 s; got: $OUT" >&2
	return 1
}

has() { printf '%s' "$OUT" | grep -qE -- "$1"; }

# expect NAME COMMAND REGEX: runs COMMAND (within $EXPECT_TIMEOUT s,
# default 120), checks its output.
expect() {
	if cmd "${EXPECT_TIMEOUT:-120}" "$2" && has "$3"; then
		ok "$1"
	else
		fail "$1" "$(printf '%s' "$OUT" | tr '\n' '|')"
	fi
}
