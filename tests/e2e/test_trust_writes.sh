#!/bin/bash
# Where the guest's writes land, proven with a guest that writes its disk
# (the test guest with "write-disk" on its command line fills the first
# sectors of the primary IDE disk with a known text). Untrusted VM files
# from a "downloads" folder, each trying to make the guest write a host
# file, vmplay started from $HOME as a double-click would:
#  1. a qcow2 image whose external data file has a relative name: QEMU
#     looks it up in its working folder, so vmplay runs QEMU in the VM's
#     folder and checks the name there; the write lands beside the VM,
#     ~/notes.txt is untouched;
#  2. a VM file that is a symbolic link to a trusted VM in ~/.VM, beside a
#     disk name of the attacker's: the VM plays with its own disk;
#  3. a disk swapped for a symbolic link to a host file after vmplay's
#     check, just before QEMU starts (a QEMU wrapper does the swap): QEMU
#     writes the file vmplay checked and opened, not the link's target;
#  4. a data file with another hard link (to a host file): refused.
. "$(dirname "$0")/lib.sh"

KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing"; finish; }
export HOME=$TMP/home VMPLAY_MESSAGE_BOX=0 VMPLAY_POWERDOWN_TIMEOUT=1
mkdir -m 700 -p "$HOME" "$TMP/run"
export XDG_RUNTIME_DIR=$TMP/run
MARK='vmplay-test-guest wrote this sector'
DL=$TMP/downloads
OUTSIDE=$TMP/outside
mkdir -p "$DL" "$OUTSIDE"

# zeros FILE: a 1 MiB file of zeros and its pristine copy FILE.orig.
zeros() {
	dd if=/dev/zero of="$1" bs=1M count=1 status=none
	cp "$1" "$1.orig"
}

# play NAME VMFILE WRITTEN [ARGS]: runs vmplay --headless VMFILE from $HOME
# until WRITTEN holds the guest's text (or 90 s), then stops it. Status 0
# when it was written.
play() {
	local name=$1 file=$2 written=$3 rc=1
	shift 3
	(cd "$HOME" && exec "$VMPLAY" --headless "$@" "$file") </dev/null \
		>"$TMP/$name.log" 2>&1 &
	local pid=$!
	register_pid "$pid"
	wait_for 90 grep -qa "$MARK" "$written" && rc=0
	kill -TERM "$pid" 2>/dev/null
	wait_exit "$pid" 30
	return $rc
}

# unchanged FILE: FILE is byte for byte its .orig copy.
unchanged() { cmp -s "$1" "$1.orig"; }

# vm_text NAME DISK FORMAT: a VM file booting the writing guest from an
# IDE disk (machine pc: the guest drives the legacy IDE ports).
vm_text() {
	guest_vm_text "$1" | sed "s|^kernel = .*|&\nappend = write-disk|"
	cat <<EOF

[disk.system]
file = $2
format = $3
interface = ide
EOF
}

# 1. relative data file: beside the VM, not in QEMU's (vmplay's) cwd
mkdir -p "$DL/data"
(cd "$DL/data" && qemu-img create -q -f qcow2 -o data_file=notes.txt d.qcow2 1M)
zeros "$HOME/notes.txt"
vm_text data d.qcow2 qcow2 >"$DL/data/data.vmplay"
if play data "$DL/data/data.vmplay" "$DL/data/notes.txt" &&
	unchanged "$HOME/notes.txt"; then
	ok "relative data file: the guest writes the one in the VM's folder, ~/notes.txt untouched"
else
	fail "relative data file: the guest writes the one in the VM's folder, ~/notes.txt untouched" \
		"$(grep -ca "$MARK" "$HOME/notes.txt") marks in ~/notes.txt; $(tail -n 3 "$TMP/data.log")"
fi
# a relative name that climbs out of the folder is refused
mkdir -p "$DL/climb"
zeros "$OUTSIDE/climb.raw"
(cd "$DL/climb" && qemu-img create -q -f qcow2 -o "data_file=../../outside/climb.raw" d.qcow2 1M)
cp "$OUTSIDE/climb.raw" "$OUTSIDE/climb.raw.orig"
vm_text climb d.qcow2 qcow2 >"$DL/climb/climb.vmplay"
out=$(cd "$HOME" && "$VMPLAY" --headless "$DL/climb/climb.vmplay" 2>&1 </dev/null)
if [ $? = 1 ] && grep -q "the image writes to .*climb.raw.*outside the VM file's folder" <<<"$out" &&
	unchanged "$OUTSIDE/climb.raw"; then
	ok "a relative data file outside the folder is refused"
else
	fail "a relative data file outside the folder is refused" "$out"
fi

# 2. a link to a trusted VM: its own disk, not the one beside the link
mkdir -p "$HOME/.VM/deb"
chmod 700 "$HOME/.VM" "$HOME/.VM/deb"
zeros "$HOME/.VM/deb/deb.raw"
vm_text deb deb.raw raw >"$HOME/.VM/deb/deb.vmplay"
chmod 600 "$HOME/.VM/deb/deb.vmplay"
mkdir -p "$DL/link"
zeros "$OUTSIDE/victim.raw"
ln -s "$OUTSIDE/victim.raw" "$DL/link/deb.raw"
ln -s "$HOME/.VM/deb/deb.vmplay" "$DL/link/play-me.vmplay"
if play link "$DL/link/play-me.vmplay" "$HOME/.VM/deb/deb.raw" &&
	unchanged "$OUTSIDE/victim.raw"; then
	ok "a link to a trusted VM file plays that VM's own disk"
else
	fail "a link to a trusted VM file plays that VM's own disk" \
		"$(grep -ca "$MARK" "$OUTSIDE/victim.raw") marks in the victim; $(tail -n 3 "$TMP/link.log")"
fi

# 3. the disk becomes a link to a host file after the check, right before
# QEMU opens anything
mkdir -p "$DL/swap"
zeros "$DL/swap/disk.raw"
zeros "$OUTSIDE/swapped.raw"
vm_text swap disk.raw raw >"$DL/swap/swap.vmplay"
cat >"$TMP/qemu-swap" <<EOF
#!/bin/sh
mv "$DL/swap/disk.raw" "$DL/swap/checked.raw"
ln -s "$OUTSIDE/swapped.raw" "$DL/swap/disk.raw"
exec "$QEMU" "\$@"
EOF
chmod +x "$TMP/qemu-swap"
if VMPLAY_QEMU=$TMP/qemu-swap play swap "$DL/swap/swap.vmplay" "$DL/swap/checked.raw" &&
	unchanged "$OUTSIDE/swapped.raw" && [ -L "$DL/swap/disk.raw" ]; then
	ok "a disk swapped for a link after the check: QEMU writes the file vmplay checked"
else
	fail "a disk swapped for a link after the check: QEMU writes the file vmplay checked" \
		"$(grep -ca "$MARK" "$OUTSIDE/swapped.raw") marks in the link's target; $(tail -n 3 "$TMP/swap.log")"
fi

# 4. a data file that is a hard link of a host file
mkdir -p "$DL/hard"
zeros "$OUTSIDE/hard.raw"
ln "$OUTSIDE/hard.raw" "$DL/hard/data.raw"
(cd "$DL/hard" && qemu-img create -q -f qcow2 -o data_file=data.raw,data_file_raw=on d.qcow2 1M)
cp "$OUTSIDE/hard.raw" "$OUTSIDE/hard.raw.orig"
vm_text hard d.qcow2 qcow2 >"$DL/hard/hard.vmplay"
out=$(cd "$HOME" && "$VMPLAY" --headless "$DL/hard/hard.vmplay" 2>&1 </dev/null)
if [ $? = 1 ] && grep -q "the image writes to data.raw: .*has 1 other hard links" <<<"$out" &&
	unchanged "$OUTSIDE/hard.raw"; then
	ok "a hard-linked data file is refused"
else
	fail "a hard-linked data file is refused" "$out"
fi

check "no QEMU left" wait_for 15 eval "! pgrep -f 'qemu-system.*guest=(data|climb|deb|swap|hard),' >/dev/null"
finish
