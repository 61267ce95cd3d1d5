#!/bin/bash
# Snapshots: never the wrong one, never a half one, never an escape
# sequence on the terminal.
#  - names with control characters are refused; names other tools made
#    are listed with \xNN for those bytes;
#  - racing `vmplay snapshot take` on a 3-disk VM: one wins, every disk
#    has the snapshot, the loser changes nothing; a command waits for the
#    per-VM lock another holds;
#  - a numeric name that is another snapshot's id on some disk is refused
#    for take, restore and delete (offline and from the menu), so QEMU's
#    lookup (ids first) never picks another snapshot;
#  - the menu refuses while an offline command holds the VM's lock.
. "$(dirname "$0")/lib.sh"

KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing"; finish; }
DRIVER=$BUILD/tests/actions-driver
export HOME=$TMP/home VMPLAY_MESSAGE_BOX=0 VMPLAY_POWERDOWN_TIMEOUT=1
mkdir -m 700 -p "$HOME" "$TMP/run"
export XDG_RUNTIME_DIR=$TMP/run

# vm NAME DISK...: a VM file with these qcow2 disks (made here).
vm() {
	local name=$1 d
	shift
	guest_vm_text "$name" >"$TMP/$name.vmplay"
	for d in "$@"; do
		qemu-img create -q -f qcow2 "$TMP/$d.qcow2" 16M
		printf '\n[disk.%s]\nfile = %s.qcow2\nformat = qcow2\n' "$d" "$d" >>"$TMP/$name.vmplay"
	done
}
names() { qemu-img snapshot -l "$TMP/$1.qcow2" | awk 'NR > 2 { print $2 }'; }
has_snap() { names "$1" | grep -qx -- "$2"; }

# 1. control characters
vm esc e1
for bad in $'two\nlines' $'\e[31mred' $'tab\there'; do
	out=$("$VMPLAY" snapshot take "$TMP/esc.vmplay" "$bad" 2>&1)
	rc=$?
	if [ "$rc" = 2 ] && grep -q "control character" <<<"$out" &&
		[ -z "$(names e1)" ] && ! grep -q $'\e' <<<"$out"; then
		ok "take refuses a name with $(printf '%q' "$bad" | head -c 20)"
	else
		fail "take refuses a name with $(printf '%q' "$bad")" "status $rc: $out"
	fi
done
qemu-img snapshot -c $'\e[31mred' "$TMP/e1.qcow2"
out=$("$VMPLAY" snapshot list "$TMP/esc.vmplay" 2>&1)
if grep -qF '\x1b[31mred' <<<"$out" && ! grep -q $'\e' <<<"$out"; then
	ok "list shows another tool's escape sequence as \\x1b"
else
	fail "list shows another tool's escape sequence as \\x1b" "$(printf '%q' "$out")"
fi

# 2. racing takes on three disks
vm race r1 r2 r3
bad=
for i in $(seq 1 15); do
	"$VMPLAY" snapshot take "$TMP/race.vmplay" "s$i" >"$TMP/race.a" 2>&1 &
	a=$!
	"$VMPLAY" snapshot take "$TMP/race.vmplay" "s$i" >"$TMP/race.b" 2>&1 &
	b=$!
	wait $a; ra=$?
	wait $b; rb=$?
	won=$(cat "$TMP/race.a" "$TMP/race.b" | grep -c "taken in .* (3 disks)")
	for d in r1 r2 r3; do
		has_snap "$d" "s$i" || bad="$bad s$i missing on $d;"
	done
	[ "$won" = 1 ] && [ $((ra + rb)) = 1 ] || bad="$bad s$i: $won winners, status $ra/$rb;"
done
if [ -z "$bad" ]; then
	ok "15 races of two takes: one wins each, every disk has the snapshot"
else
	fail "15 races of two takes: one wins each, every disk has the snapshot" "$bad"
fi
# Hold every VM's snapshot lock (the file names hash the VM's path, so
# which one is race.vmplay's is not known here): the take must wait.
LOCKS=("$XDG_RUNTIME_DIR"/vmplay/snapshots-*.lock)
if [ -e "${LOCKS[0]}" ] && command -v flock >/dev/null; then
	hold=(sleep 3)
	for l in "${LOCKS[@]}"; do hold=(flock -x "$l" "${hold[@]}"); done
	"${hold[@]}" &
	holder=$!
	sleep 0.5
	start=$(date +%s%N)
	"$VMPLAY" snapshot take "$TMP/race.vmplay" waited >"$TMP/wait.out" 2>&1
	rc=$?
	took=$((($(date +%s%N) - start) / 1000000))
	wait $holder
	if [ "$rc" = 0 ] && [ "$took" -ge 2000 ] && has_snap r3 waited; then
		ok "a take waits for the VM's snapshot lock ($took ms)"
	else
		fail "a take waits for the VM's snapshot lock" "status $rc after $took ms: $(cat "$TMP/wait.out")"
	fi
else
	fail "the snapshot lock file exists" "none in $XDG_RUNTIME_DIR/vmplay"
fi

# 3. a numeric name that is an id elsewhere: made by qemu-img directly,
# n1: x(1) 2(2); n2: x(1) y(2) 2(3)
vm num n1 n2
qemu-img snapshot -c x "$TMP/n1.qcow2"; qemu-img snapshot -c 2 "$TMP/n1.qcow2"
qemu-img snapshot -c x "$TMP/n2.qcow2"; qemu-img snapshot -c y "$TMP/n2.qcow2"
qemu-img snapshot -c 2 "$TMP/n2.qcow2"
for action in delete restore; do
	out=$("$VMPLAY" snapshot $action "$TMP/num.vmplay" 2 2>&1)
	rc=$?
	if [ "$rc" = 1 ] && grep -q "disk 'n2' .*'2' is also the id of snapshot 'y'" <<<"$out" &&
		has_snap n2 y && has_snap n2 2 && has_snap n1 2; then
		ok "$action of an ambiguous numeric name is refused, nothing changes"
	else
		fail "$action of an ambiguous numeric name is refused, nothing changes" "status $rc: $out; n2: $(names n2 | tr '\n' ' ')"
	fi
done
out=$("$VMPLAY" snapshot take "$TMP/num.vmplay" 3 2>&1)
if [ $? = 1 ] && grep -q "'3' is the id of snapshot '2'" <<<"$out"; then
	ok "take refuses a name that is a snapshot id on another disk"
else
	fail "take refuses a name that is a snapshot id on another disk" "$out"
fi

# 4. the menu (vm_actions through the actions driver) on the same disks
if [ -x "$DRIVER" ]; then
	guest_vm_text num "-qmp unix:$TMP/num.test.qmp,server=on,wait=off" >"$TMP/num.vmplay"
	printf '\n[disk.n1]\nfile = n1.qcow2\nformat = qcow2\n\n[disk.n2]\nfile = n2.qcow2\nformat = qcow2\n' >>"$TMP/num.vmplay"
	coproc DRV { exec "$DRIVER" "$TMP/num.vmplay" 2>"$TMP/num.driver.log"; }
	register_pid "$DRV_PID"
	IN=${DRV[1]} OUT_FD=${DRV[0]}
	cmd() {
		local line
		OUT=
		echo "$1" >&"$IN"
		while IFS= read -r -t 60 line <&"$OUT_FD"; do
			[ "$line" = done ] && return 0
			OUT+=$line$'\n'
		done
		return 1
	}
	IFS= read -r -t 60 line <&"$OUT_FD"
	if [ "$line" = ready ]; then
		cmd "restore 2"
		if grep -q "note error.*'2' is also the id of snapshot 'y'" <<<"$OUT"; then
			ok "menu: restore of an ambiguous numeric name is refused"
		else
			fail "menu: restore of an ambiguous numeric name is refused" "$(tr '\n' '|' <<<"$OUT")"
		fi
		cmd "take 3"
		if grep -q "note error.*'3' is the id of snapshot '2'" <<<"$OUT"; then
			ok "menu: take refuses a name that is a snapshot id on another disk"
		else
			fail "menu: take refuses a name that is a snapshot id on another disk" "$(tr '\n' '|' <<<"$OUT")"
		fi
		NLOCK=$(ls -t "$XDG_RUNTIME_DIR"/vmplay/snapshots-*.lock | head -n 1)
		flock -x "$NLOCK" sleep 4 &
		holder=$!
		sleep 0.5
		cmd "take fine"
		if grep -q "note error.*another snapshot command is at work" <<<"$OUT"; then
			ok "menu: refuses while another command holds the VM's lock"
		else
			fail "menu: refuses while another command holds the VM's lock" "$(tr '\n' '|' <<<"$OUT")"
		fi
		wait $holder
	else
		fail "driver starts the VM" "$(cat "$TMP/num.driver.log")"
	fi
	exec {IN}>&-
	wait_exit "$DRV_PID" 30
else
	fail "actions driver" "$DRIVER missing: make $DRIVER"
fi

check "no QEMU left" wait_for 15 eval "! pgrep -f 'qemu-system.*guest=num,' >/dev/null"
finish
