#!/bin/bash
# A hostile VM file runs nothing and writes nothing. Each file below tries
# to reach the host: [qemu] args that would write a file (-chardev file,
# -serial file:) and run a script (-netdev tap,script=), and writable disks
# that are host files in disguise (a path outside the VM's folder, a
# symbolic link out of it, a qcow2 image with an external data file
# outside, a vmdk whose extent is outside). Without trust vmplay refuses
# each (status 1, the message says why and how to allow it), starts no
# QEMU, and the victim files are unchanged. The controls show the same
# files would act: with --trust, or from the user's own VM folder (~/.VM),
# the chardev file is written. A group-writable VM folder is not trusted;
# read-only disks outside the folder are fine.
. "$(dirname "$0")/lib.sh"

KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing"; finish; }
export HOME=$TMP/home VMPLAY_MESSAGE_BOX=0 VMPLAY_POWERDOWN_TIMEOUT=1
mkdir -m 700 -p "$HOME" "$TMP/run"
export XDG_RUNTIME_DIR=$TMP/run

HOSTILE=$TMP/downloads
OUTSIDE=$TMP/outside
mkdir -p "$HOSTILE" "$OUTSIDE"
printf 'precious\n' >"$OUTSIDE/victim"
dd if=/dev/zero of="$OUTSIDE/victim.raw" bs=1M count=1 status=none
cp "$OUTSIDE/victim" "$OUTSIDE/victim.orig"
cp "$OUTSIDE/victim.raw" "$OUTSIDE/victim.raw.orig"
cat >"$OUTSIDE/evil.sh" <<EOF
#!/bin/sh
touch "$OUTSIDE/script-ran"
EOF
chmod +x "$OUTSIDE/evil.sh"

# base NAME: the start of a VM file that would run the test guest
base() { guest_vm_text "$1"; }

qemus_started() { pgrep -f "qemu-system.*guest=$1" >/dev/null; }

# refused NAME FILE REGEX...: vmplay --headless FILE exits 1 at once with
# messages matching each REGEX, starts no QEMU; the victims are unchanged.
refused() {
	local name=$1 file=$2 out rc
	shift 2
	out=$("$VMPLAY" --headless "$file" 2>&1 </dev/null)
	rc=$?
	local why=
	[ "$rc" = 1 ] || why="status $rc"
	for re in "$@" "vmplay --trust" "~/.VM/"; do
		grep -qE -- "$re" <<<"$out" || why="$why; no '$re'"
	done
	qemus_started "$name" && why="$why; a QEMU started"
	cmp -s "$OUTSIDE/victim" "$OUTSIDE/victim.orig" || why="$why; victim changed"
	cmp -s "$OUTSIDE/victim.raw" "$OUTSIDE/victim.raw.orig" || why="$why; victim.raw changed"
	[ -e "$OUTSIDE/script-ran" ] && why="$why; the script ran"
	[ -e "$OUTSIDE/pwned" ] && why="$why; the chardev file was written"
	if [ -z "$why" ]; then
		ok "$name: refused, runs and writes nothing"
	else
		fail "$name: refused, runs and writes nothing" "$why; output: $(head -c 400 <<<"$out")"
	fi
}

# 1. [qemu] args
{ base args; cat <<EOF
[qemu]
args = -chardev file,id=c0,path=$OUTSIDE/pwned -serial file:$OUTSIDE/pwned -netdev tap,id=n0,script=$OUTSIDE/evil.sh,downscript=no
EOF
} >"$HOSTILE/args.vmplay"
refused args "$HOSTILE/args.vmplay" 'args.vmplay:1[0-9]: \[qemu\] args: QEMU options can run programs'
# the window path refuses the same way, before any window or QEMU
out=$(SDL_VIDEODRIVER=dummy "$VMPLAY" "$HOSTILE/args.vmplay" 2>&1 </dev/null)
if [ $? = 1 ] && grep -q '\[qemu\] args' <<<"$out" && ! qemus_started args &&
	[ ! -e "$OUTSIDE/pwned" ]; then
	ok "args: the player refuses it too"
else
	fail "args: the player refuses it too" "$out"
fi
# a dry run prints the command line and runs nothing
if "$VMPLAY" --dry-run "$HOSTILE/args.vmplay" | grep -q -- '-chardev' &&
	[ ! -e "$OUTSIDE/pwned" ] && ! qemus_started args; then
	ok "args: --dry-run shows the line, runs nothing"
else
	fail "args: --dry-run shows the line, runs nothing"
fi

# 2. a raw disk that is a host file outside the folder
{ base outside; cat <<EOF
[disk.system]
file = $OUTSIDE/victim.raw
format = raw
EOF
} >"$HOSTILE/outside.vmplay"
refused outside "$HOSTILE/outside.vmplay" "disk 'system': .*victim.raw lies outside the VM file's folder"

# 3. a symbolic link in the folder pointing out of it
ln -s "$OUTSIDE/victim.raw" "$HOSTILE/link.raw"
{ base link; cat <<EOF
[disk.system]
file = link.raw
format = raw
EOF
} >"$HOSTILE/link.vmplay"
refused link "$HOSTILE/link.vmplay" "link.raw -> .*victim.raw lies outside"

# 4. a qcow2 image in the folder whose data file is outside
qemu-img create -q -f qcow2 -o "data_file=$OUTSIDE/victim.raw,data_file_raw=on" \
	"$HOSTILE/data.qcow2" 1M
cp "$OUTSIDE/victim.raw" "$OUTSIDE/victim.raw.orig"   # qemu-img wrote it
{ base data; cat <<EOF
[disk.system]
file = data.qcow2
format = qcow2
EOF
} >"$HOSTILE/data.vmplay"
refused data "$HOSTILE/data.vmplay" "the image writes to .*victim.raw"

# 5. a vmdk descriptor in the folder whose extent is outside
cat >"$HOSTILE/flat.vmdk" <<EOF
# Disk DescriptorFile
version=1
CID=fffffffe
parentCID=ffffffff
createType="monolithicFlat"
RW 2048 FLAT "$OUTSIDE/victim.raw" 0
EOF
{ base vmdk; cat <<EOF
[disk.system]
file = flat.vmdk
format = vmdk
EOF
} >"$HOSTILE/vmdk.vmplay"
refused vmdk "$HOSTILE/vmdk.vmplay" "the image writes to .*victim.raw"

# 6. allowed: a read-only disk outside, and a disk of its own
qemu-img create -q -f qcow2 "$HOSTILE/own.qcow2" 1M
{ base fine; cat <<EOF
[disk.own]
file = own.qcow2
format = qcow2
[disk.ref]
file = $OUTSIDE/victim.raw
format = raw
readonly = true
EOF
} >"$HOSTILE/fine.vmplay"
spawn fine "$VMPLAY" --headless "$HOSTILE/fine.vmplay"
FPID=$SPAWNED_PID
if wait_line 60 "$TMP/fine.log" "fine: running"; then
	ok "read-only disks outside and disks in the folder run untrusted"
	kill -TERM "$FPID"
	wait_exit "$FPID" 30
else
	fail "read-only disks outside and disks in the folder run untrusted" "$(tail -n 3 "$TMP/fine.log")"
fi

# 7. controls: the hostile [qemu] args act when trusted
{ base ctl; cat <<EOF
[qemu]
args = -chardev file,id=c0,path=$OUTSIDE/pwned
EOF
} >"$HOSTILE/ctl.vmplay"
spawn ctl-trust "$VMPLAY" --headless --trust "$HOSTILE/ctl.vmplay"
if wait_for 60 test -e "$OUTSIDE/pwned"; then
	ok "control: with --trust the chardev file is written"
else
	fail "control: with --trust the chardev file is written" "$(tail -n 3 "$TMP/ctl-trust.log")"
fi
kill -TERM "$SPAWNED_PID"
wait_exit "$SPAWNED_PID" 30
rm -f "$OUTSIDE/pwned"

mkdir -p "$HOME/.VM/ctl"
chmod 755 "$HOME/.VM" "$HOME/.VM/ctl"
cp "$HOSTILE/ctl.vmplay" "$HOME/.VM/ctl/ctl.vmplay"
chmod 644 "$HOME/.VM/ctl/ctl.vmplay"
spawn ctl-home "$VMPLAY" --headless "$HOME/.VM/ctl/ctl.vmplay"
if wait_for 60 test -e "$OUTSIDE/pwned"; then
	ok "control: a file in ~/.VM is trusted without --trust"
else
	fail "control: a file in ~/.VM is trusted without --trust" "$(tail -n 3 "$TMP/ctl-home.log")"
fi
kill -TERM "$SPAWNED_PID"
wait_exit "$SPAWNED_PID" 30
rm -f "$OUTSIDE/pwned"

# others may write to that folder: not trusted any more
chmod 775 "$HOME/.VM/ctl"
out=$("$VMPLAY" --headless "$HOME/.VM/ctl/ctl.vmplay" 2>&1 </dev/null)
if [ $? = 1 ] && grep -q '\[qemu\] args' <<<"$out" && [ ! -e "$OUTSIDE/pwned" ]; then
	ok "a group-writable folder in ~/.VM is not trusted"
else
	fail "a group-writable folder in ~/.VM is not trusted" "$out"
fi
chmod 755 "$HOME/.VM/ctl"
# a symbolic link into ~/.VM from elsewhere does not make a file trusted...
ln -s "$HOSTILE/args.vmplay" "$HOME/.VM/ctl/evil.vmplay"
refused args "$HOME/.VM/ctl/evil.vmplay" '\[qemu\] args'

check "no QEMU left" wait_for 15 eval "! pgrep -f 'qemu-system.*guest=(args|outside|link|data|vmdk|fine|ctl)' >/dev/null"
finish
