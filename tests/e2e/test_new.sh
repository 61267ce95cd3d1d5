#!/bin/bash
# End-to-end tests of `vmplay new` (the files it makes, presets, refusals,
# nothing left behind on failure) and `vmplay snapshot` (take, list,
# restore, delete on real qcow2 images; refusal for raw disks and while a
# real QEMU runs the VM).
set -u
. "$(dirname "$0")/lib.sh"
VMPLAY=${VMPLAY:-$(dirname "$0")/../../build/vmplay}

# key SECTION KEY FILE: the value of KEY in [SECTION] of an INI file.
key() {
	python3 - "$@" <<'EOF'
import sys
section, key, path = sys.argv[1:]
cur = None
for line in open(path):
    line = line.split(';')[0].strip()
    if line.startswith('['):
        cur = line.strip('[]')
    elif '=' in line and cur == section:
        k, v = line.split('=', 1)
        if k.strip() == key:
            print(v.strip())
EOF
}
# The words of a shell-quoted line (--dry-run's output), one per line.
shell_words() { python3 -c 'import shlex,sys; print("\n".join(shlex.split(sys.stdin.read())))'; }
export -f shell_words
# The first byte of the guest disk, read through QEMU's block layer.
first_byte() {
	qemu-io -f qcow2 -c 'read -v 0 1' "$1" | awk 'NR==1 { print $2 }'
}
snapshots() { qemu-img snapshot -l "$1" | awk 'NR>2 { print $2 }'; }
export -f snapshots

mkdir -p "$TMP/home"
export HOME=$TMP/home
cd "$TMP" || exit 1

# --- new: the default place and the linux preset ------------------------------
vm out err new demo
check "new demo exits 0" test $? -eq 0
D=$HOME/.VM/demo
check "makes ~/.VM/demo/ with the disk and the VM file only" \
	test "$(ls -A "$D" | tr '\n' ' ')" = "demo.qcow2 demo.vmplay "
check "the disk is qcow2" test "$(img_field "$D/demo.qcow2" format)" = qcow2
check "the disk is 25G" test "$(img_field "$D/demo.qcow2" virtual-size)" = $((25 << 30))
check "name = demo" test "$(key vm name "$D/demo.vmplay")" = demo
uuid1=$(key vm uuid "$D/demo.vmplay")
check "a UUID" bash -c "[[ '$uuid1' =~ ^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$ ]]"
check "linux preset: virtio disk" test "$(key disk.system interface "$D/demo.vmplay")" = virtio
check "linux preset: virtio network" test "$(key network model "$D/demo.vmplay")" = virtio
check "linux preset: virtio display (the guest follows the window)" \
	test "$(key display device "$D/demo.vmplay")" = virtio
check "memory 2G, 2 CPUs by default" \
	test "$(key vm memory "$D/demo.vmplay") $(key vm cpus "$D/demo.vmplay")" = "2G 2"
check "the file is commented" grep -q '^; .*vmplay(5)' "$D/demo.vmplay"
check "says how to play it" grep -q "play it with: vmplay $D/demo.vmplay" out
vm out err --dry-run "$D/demo.vmplay"
check "the VM file loads (--dry-run exits 0)" test $? -eq 0
check "  ... and QEMU gets its disk as qcow2" grep -q "format=qcow2,file=$D/demo.qcow2" out

# --- refusals: nothing is overwritten ---------------------------------------
fp_vm=$(fingerprint "$D/demo.vmplay")
fp_disk=$(fingerprint "$D/demo.qcow2")
vm out err new demo
check "new demo again refused (exit 1)" test $? -eq 1
check "  ... says it never overwrites" grep -q "demo.vmplay already exists; vmplay new never overwrites anything" err
check "  ... VM file unchanged" test "$(fingerprint "$D/demo.vmplay")" = "$fp_vm"
check "  ... disk unchanged" test "$(fingerprint "$D/demo.qcow2")" = "$fp_disk"

mkdir -p "$TMP/half"
printf 'not mine\n' >"$TMP/half/half.qcow2"
fp=$(fingerprint "$TMP/half/half.qcow2")
vm out err new half --dir "$TMP/half"
check "an existing disk of that name refused (exit 1)" test $? -eq 1
check "  ... the disk is unchanged" test "$(fingerprint "$TMP/half/half.qcow2")" = "$fp"
check "  ... no VM file made" test ! -e "$TMP/half/half.vmplay"

# --- options and the other presets -------------------------------------------
vm out err new win --os windows --dir "$TMP/vms/win" --disk 2G --format raw \
	--memory 3G --cpus 4 --iso /usr/lib/grub-rescue/grub-rescue-cdrom.iso
check "new win --os windows --dir ... exits 0" test $? -eq 0
W=$TMP/vms/win/win.vmplay
check "--dir: files in that folder" test -f "$TMP/vms/win/win.raw" -a -f "$W"
check "--format raw --disk 2G" \
	test "$(img_field "$TMP/vms/win/win.raw" format) $(img_field "$TMP/vms/win/win.raw" virtual-size)" = "raw $((2 << 30))"
check "windows preset: SATA disk" test "$(key disk.system interface "$W")" = sata
check "windows preset: e1000" test "$(key network model "$W")" = e1000
check "windows preset: HD audio" test "$(key audio device "$W")" = hda
check "windows preset: std display" test "$(key display device "$W")" = std
check "--memory 3G --cpus 4" test "$(key vm memory "$W") $(key vm cpus "$W")" = "3G 4"
check "--iso in the CD drive" test "$(key cdrom file "$W")" = /usr/lib/grub-rescue/grub-rescue-cdrom.iso
check "a fresh UUID per VM" test "$(key vm uuid "$W")" != "$uuid1"
vm out err --dry-run "$W"
check "the windows VM file loads (--dry-run)" test $? -eq 0
check "a new VM file shares the clipboard whatever its display" \
	test "$(key clipboard enabled "$W")" = true
check "so QEMU gets the clipboard's agent (std display)" grep -q qemu-vdagent "$TMP/out"

cp /usr/lib/grub-rescue/grub-rescue-cdrom.iso rel.iso
vm out err new other --os other --dir o --disk 64M
check "new --os other with a relative --dir" test $? -eq 0
check "other preset: e1000" test "$(key network model o/other.vmplay)" = e1000
vm out err new rel --dir r --disk 64M --iso rel.iso
check "a relative --iso is written as an absolute path" test "$(key cdrom file r/rel.vmplay)" = "$TMP/rel.iso"
# A path that would read back cut short (" #" starts a comment) or trimmed
# is quoted: vmplay itself must read back the very same file.
for iso in "disc #2.iso" "trailing.iso " "it's ;odd.iso"; do
	cp rel.iso "$iso"
	vm out err new odd --dir odd --disk 16M --iso "$iso"
	check "new --iso '$iso' exits 0" test $? -eq 0
	"$VMPLAY" --dry-run odd/odd.vmplay >out 2>err
	check "  ... vmplay reads the CD back as '$TMP/$iso'" \
		bash -c 'shell_words <out | grep -qxF -- "$1"' _ \
		"if=none,id=cd0,media=cdrom,readonly=on,format=raw,file=$TMP/$iso"
	rm -rf odd "$iso"
done

# --- bad arguments make nothing ------------------------------------------------
badargs=(
	"--os beos|'beos' is not a preset (accepted: linux, windows, other)"
	"--cpus 0|'0' is not a number of processors (1 to 255, as in the VM file)"
	"--cpus 256|'256' is not a number of processors (1 to 255, as in the VM file)"
	"--memory 2X|--memory: '2X' is not a memory size"
	"--memory 8M|--memory: '8M' is too small (at least 16M)"
	"--memory 17T|--memory: '17T' is too large (at most 16T)"
	"--memory 1000000K|--memory: '1000000K' is not a whole number of megabytes"
	"--disk 2X|--disk: '2X' is not a size (examples: 512M, 25G)"
	"--disk 10|--disk: '10' has no unit: did you mean 10G?"
	"--format qcow3|'qcow3' is not a disk format (accepted: qcow2, raw, vdi, vmdk)"
	"--iso /no/such.iso|--iso: /no/such.iso: no such file"
)
for case in "${badargs[@]}"; do
	args=${case%%|*} want=${case#*|}
	# shellcheck disable=SC2086
	vm out err new nothing $args
	rc=$?
	check "new $args refused (exit 2)" test "$rc" -eq 2
	check "  ... '$want'" grep -qF -- "$want" err
done
vm out err new ../evil
check "a name with a slash refused (exit 2)" test $? -eq 2
check "bad arguments made no folder" test ! -e "$HOME/.VM/nothing"

# A failure half-way (qemu-img refuses the size) takes back the folder.
vm out err new huge --dir "$TMP/deep/er/huge" --format vdi --disk 1000T
check "a disk qemu-img cannot make: exit 1" test $? -eq 1
check "  ... qemu-img's reason shown" grep -q "Unsupported VDI image size" err
check "  ... the folders it made are gone again" test ! -e "$TMP/deep"
(unset HOME; "$VMPLAY" new nohome >out 2>err)
check "no HOME and no --dir: exit 1 with advice" \
	bash -c "[ $? -eq 1 ] && grep -q 'HOME is not set; say where with --dir' err"
vm out err new --help
check "new --help" grep -q '^Usage: vmplay new NAME' out

# --- snapshots while the VM is off ---------------------------------------------
vm out err new snap --dir s --disk 64M
S=s/snap.vmplay
qemu-io -f qcow2 -c 'write -P 0xaa 0 512' s/snap.qcow2 >/dev/null
vm out err snapshot take "$S" first
check "snapshot take NAME exits 0" test $? -eq 0
check "  ... qemu-img lists it" bash -c "snapshots s/snap.qcow2 | grep -qx first"
qemu-io -f qcow2 -c 'write -P 0xbb 0 512' s/snap.qcow2 >/dev/null
check "the disk changed after the snapshot" test "$(first_byte s/snap.qcow2)" = bb
vm out err snapshot restore "$S" first
check "snapshot restore exits 0" test $? -eq 0
check "  ... the disk is back as it was" test "$(first_byte s/snap.qcow2)" = aa
vm out err snapshot take "$S" first
check "an existing snapshot name refused (exit 1)" test $? -eq 1
check "  ... never overwritten" grep -q "already has a snapshot named 'first'; vmplay never overwrites one" err
check "  ... still one 'first'" test "$(snapshots s/snap.qcow2 | grep -cx first)" -eq 1
vm out err snapshot take "$S" 1
check "a name that is another snapshot's id refused (exit 1)" test $? -eq 1
check "  ... says why" grep -q "'1' is the id of snapshot 'first'" err
check "  ... no snapshot '1' made" bash -c "! snapshots s/snap.qcow2 | grep -qx 1"
vm out err snapshot take "$S"
check "snapshot take without NAME names it by date and time" \
	grep -qE "^snapshot '20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}' taken" out
vm out err snapshot list "$S"
check "snapshot list shows both" \
	bash -c "grep -q '^  first ' out && grep -qE '^  20[0-9-]+ [0-9:]+ ' out"
vm out err snapshot delete "$S" first
check "snapshot delete exits 0" test $? -eq 0
check "  ... gone from qemu-img's list" bash -c "! snapshots s/snap.qcow2 | grep -qx first"
vm out err snapshot delete "$S" first
check "deleting a missing snapshot: exit 1" test $? -eq 1
check "  ... names it" grep -q "has no snapshot named 'first'" err
vm out err snapshot restore "$S" nonesuch
check "restoring a missing snapshot: exit 1" test $? -eq 1
vm out err snapshot frobnicate "$S"
check "unknown snapshot action: exit 2" test $? -eq 2

# Two disks: a snapshot covers both.
qemu-img create -q -f qcow2 s/data.qcow2 32M
printf '\n[disk.data]\nfile = data.qcow2\nformat = qcow2\n' >>"$S"
vm out err snapshot take "$S" both
check "take on a two-disk VM" test $? -eq 0
check "  ... on the system disk" bash -c "snapshots s/snap.qcow2 | grep -qx both"
check "  ... and on the data disk" bash -c "snapshots s/data.qcow2 | grep -qx both"

# A raw disk cannot hold snapshots: the message names it.
vm out err snapshot take "$W" x
check "take on a raw-disk VM: exit 1" test $? -eq 1
check "  ... names the disk that cannot hold snapshots" \
	grep -q "disk 'system' ($TMP/vms/win/win.raw) is a raw image, which cannot hold snapshots" err

# While a QEMU vmplay did not start runs the VM (it holds the image lock)
# no change happens; the list reads the images shared.
count=$(snapshots s/snap.qcow2 | wc -l)
qemu-system-x86_64 -display none -S -nodefaults -machine pc -accel tcg \
	-drive file=s/snap.qcow2,format=qcow2,if=ide >qemu.log 2>&1 &
QEMU_PID=$!
register_pid "$QEMU_PID"
held=
for _ in $(seq 300); do
	if ! qemu-img info s/snap.qcow2 >/dev/null 2>&1; then held=1; break; fi
	sleep 0.1
done
check "QEMU holds the VM's disk" test -n "$held"
for action in "take running" "restore both" "delete both"; do
	# shellcheck disable=SC2086
	set -- $action
	vm out err snapshot "$1" "$S" ${2:+"$2"}
	rc=$?
	check "snapshot $1 while the VM runs: exit 1" test "$rc" -eq 1
	check "  ... 'in use by a running VM'" grep -q "snap.qcow2 is in use by a running VM" err
done
vm out err snapshot list --names "$S"
check "snapshot list while the VM runs: exit 0" test $? -eq 0
check "  ... with the VM's snapshots" grep -qx both out
kill "$QEMU_PID"
wait "$QEMU_PID" 2>/dev/null
QEMU_PID=
check "no snapshot was added or removed" test "$(snapshots s/snap.qcow2 | wc -l)" -eq "$count"

finish
