#!/bin/bash
# End-to-end tests of `vmplay disk` on the real qemu-img (and, for the
# "in use" case, a real QEMU holding an image lock): create, info, resize
# and convert in every format, refusal to overwrite (bytes and mtime
# unchanged), refusal to shrink, bad sizes and formats, progress, an
# interrupted convert leaving nothing behind.
set -u
. "$(dirname "$0")/lib.sh"
VMPLAY=${VMPLAY:-$(dirname "$0")/../../build/vmplay}

cd "$TMP" || exit 1

# --- create in every format -------------------------------------------------
for f in qcow2 raw vdi vmdk; do
	vm out err disk create "img.$f" 48M --format "$f"
	rc=$?
	check "create $f exits 0" test "$rc" -eq 0
	check "create $f: qemu-img sees format $f" \
		test "$(img_field "img.$f" format)" = "$f"
	check "create $f: virtual size 48M" \
		test "$(img_field "img.$f" virtual-size)" = $((48 << 20))
	check "create $f: no temporary file left" \
		test "$(ls -A | grep -c vmplay-)" -eq 0
done

# Started by a parent that ignores SIGCHLD (kept across exec): qemu-img's
# exit status must not be lost to the kernel's automatic reaping.
python3 -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$VMPLAY" disk create ign.qcow2 16M >out 2>err
check "create with SIGCHLD ignored by the parent exits 0" test $? -eq 0
check "  ... and made the image" test "$(img_field ign.qcow2 format)" = qcow2
rm -f ign.qcow2

vm out err disk create full.raw 4M --format raw --preallocation full
check "create raw --preallocation full" test $? -eq 0
check "full preallocation allocates every byte" \
	test "$(img_field full.raw actual-size)" -ge $((4 << 20))
vm out err disk create meta.qcow2 4M --preallocation metadata
check "create qcow2 --preallocation metadata" test $? -eq 0

vm out err disk create meta.raw 4M --format raw --preallocation metadata
rc=$?
check "raw --preallocation metadata refused (exit 1)" test "$rc" -eq 1
check "  ... says what raw accepts" \
	grep -q "raw images do not support preallocation metadata (accepted: off, falloc, full)" err
check "  ... and leaves no file" test ! -e meta.raw

# --- bad sizes and formats ---------------------------------------------------
for size in 2X 0 1.5.5G "" 10Q; do
	vm out err disk create bad.qcow2 "$size"
	rc=$?
	check "size '$size' refused (exit 2)" test "$rc" -eq 2
	check "  ... names the value and shows examples" \
		grep -q "'$size' is not a size (examples: 512M, 25G" err
done
# A bare number is not bytes (issue 16 item 3): refused, with the unit.
vm out err disk create bad.qcow2 10
check "bare size '10' refused (exit 2)" test $? -eq 2
check "  ... asks 'did you mean 10G?'" grep -q "'10' has no unit: did you mean 10G?" err
vm out err disk resize img.qcow2 100
check "resize to a bare '100' refused too" grep -q "'100' has no unit: did you mean 100G?" err
# The message gives the size the image really has, as disk info does.
vm out err disk create odd.qcow2 1000B
check "create 1000B says what qemu-img made (1K)" grep -qx "created odd.qcow2 (qcow2, 1K)" out
vm out err disk info odd.qcow2
check "  ... and disk info agrees" grep -q "^virtual size: 1K (1024 bytes)" out
rm -f odd.qcow2
vm out err disk create bad.qcow2 -5G
check "size '-5G' refused (exit 2)" test $? -eq 2
check "no file made by the bad sizes" test ! -e bad.qcow2
vm out err disk create bad.img 1G --format qcow3
check "format 'qcow3' refused (exit 2)" test $? -eq 2
check "  ... lists the formats" grep -q "'qcow3' is not a disk format (accepted: qcow2, raw, vdi, vmdk)" err
vm out err disk create bad.img 1G --preallocation sparse
check "preallocation 'sparse' refused (exit 2)" test $? -eq 2
vm out err disk frobnicate x
check "unknown action refused (exit 2)" test $? -eq 2
check "  ... lists the actions" grep -q "accepted: create, info, resize, convert" err
for action in create info resize convert; do
	vm out err disk "$action" --help
	check "disk $action --help" bash -c "[ $? -eq 0 ] && grep -q '^Usage: vmplay disk $action' out"
done

# qemu-img missing: the message says which package brings it.
(PATH=/nonexistent "$VMPLAY" disk info img.qcow2 >out 2>err)
check "qemu-img missing: exit 1" test $? -eq 1
check "  ... names the package" grep -q "cannot run qemu-img: .*Debian package qemu-utils" err

# --- never overwrite ---------------------------------------------------------
printf 'precious data, not an image\n' >keep.img
touch -d '2020-01-02 03:04:05' keep.img
before=$(fingerprint keep.img)
vm out err disk create keep.img 1G
rc=$?
check "create over an existing file refused (exit 1)" test "$rc" -eq 1
check "  ... says so" grep -q "keep.img already exists; vmplay never overwrites" err
check "  ... its bytes and mtime are unchanged" test "$(fingerprint keep.img)" = "$before"
vm out err disk convert img.raw keep.img --format qcow2
check "convert onto an existing file refused (exit 1)" test $? -eq 1
check "  ... its bytes and mtime are unchanged" test "$(fingerprint keep.img)" = "$before"
ln -s nowhere dangling.qcow2
vm out err disk create dangling.qcow2 1G
check "create over a dangling symlink refused" test $? -eq 1
check "  ... the link is untouched" test "$(readlink dangling.qcow2)" = nowhere

# --- info ------------------------------------------------------------------
vm out err disk info img.qcow2
check "info exits 0" test $? -eq 0
check "info shows the format" grep -q "^format: *qcow2" out
check "info shows the virtual size" grep -q "^virtual size: 48M (50331648 bytes)" out
check "info shows the space used" grep -q "^used on disk: " out
check "info shows no snapshots" grep -q "^snapshots: *none" out
qemu-img snapshot -c before-upgrade img.qcow2
vm out err disk info img.qcow2
check "info lists a snapshot" grep -q "^  before-upgrade  *20[0-9-]* [0-9:]*  00:00:00.000" out
vm out err disk info --json img.vdi
check "info --json is qemu-img's JSON" \
	python3 -c 'import json,sys; d=json.load(open("out")); sys.exit(d["format"]!="vdi")'
vm out err disk info missing.qcow2
check "info of a missing file: exit 1" test $? -eq 1
check "  ... names it" grep -q "missing.qcow2: no such file" err

# --- resize ------------------------------------------------------------------
for f in qcow2 raw; do
	vm out err disk resize "img.$f" 64M
	check "resize $f grows to 64M" test "$(img_field "img.$f" virtual-size)" = $((64 << 20))
	vm out err disk resize "img.$f" +16M
	check "resize $f +16M grows to 80M" test "$(img_field "img.$f" virtual-size)" = $((80 << 20))
	vm out err disk resize "img.$f" 32M
	rc=$?
	check "resize $f to a smaller size refused without --shrink" test "$rc" -eq 1
	check "  ... says why and names the flag" \
		grep -q "32M is smaller than its size now (80M); .* needs --shrink" err
	check "  ... the size is unchanged" test "$(img_field "img.$f" virtual-size)" = $((80 << 20))
	vm out err disk resize "img.$f" -16M
	check "resize $f -16M refused without --shrink" test $? -eq 1
	vm out err disk resize "img.$f" 32M --shrink
	check "resize $f 32M --shrink" test "$(img_field "img.$f" virtual-size)" = $((32 << 20))
done
vm out err disk resize img.qcow2 1G0
check "resize to a bad size refused (exit 2)" test $? -eq 2
for f in vdi vmdk; do
	vm out err disk resize "img.$f" 1G
	check "resize $f: exit 1" test $? -eq 1
	check "  ... qemu-img cannot resize $f: says what to do" \
		grep -q "cannot resize $f images; convert it to qcow2 or raw first" err
done

# --- convert -------------------------------------------------------------------
# A raw image with recognisable data goes through every format and back.
dd if=/dev/urandom of=data.raw bs=1M count=8 status=none
for f in qcow2 vdi vmdk raw; do
	vm out err disk convert data.raw "conv.$f" --format "$f"
	check "convert raw -> $f exits 0" test $? -eq 0
	check "  ... qemu-img sees format $f" test "$(img_field "conv.$f" format)" = "$f"
	check "  ... no progress output when stdout is not a terminal" \
		bash -c "! grep -q '%' out"
	qemu-img convert -O raw "conv.$f" "back-$f.raw"
	check "  ... the data survives $f" cmp -s data.raw "back-$f.raw"
done
# Without --format the extension says it (issue 16 item 17).
vm out err disk convert data.raw x.qcow2
check "convert to x.qcow2 without --format exits 0" test $? -eq 0
check "  ... and makes a qcow2" test "$(img_field x.qcow2 format)" = qcow2
vm out err disk convert x.qcow2 back.raw
check "convert to back.raw without --format makes a raw image" \
	test "$(img_field back.raw format)" = raw
vm out err disk convert x.qcow2 x.vdi
check "convert to x.vdi without --format makes a vdi image" \
	test "$(img_field x.vdi format)" = vdi
vm out err disk convert data.raw x.bin
check "convert to x.bin without --format refused (exit 2)" test $? -eq 2
check "  ... says how to give the format" \
	grep -q "cannot tell the format of x.bin from its name: give --format" err
check "  ... and made nothing" test ! -e x.bin
rm -f x.qcow2 back.raw x.vdi
vm out err disk create plain.raw 1M
check "create plain.raw without --format makes a raw image" \
	test "$(img_field plain.raw format)" = raw
vm out err disk create plain.bin 1M
check "create plain.bin without --format makes a qcow2 (the default)" \
	test "$(img_field plain.bin format)" = qcow2
rm -f plain.raw plain.bin

# Progress on a terminal (script(1) gives it one).
script -qec "$VMPLAY disk convert data.raw tty.qcow2 --format qcow2" /dev/null >tty.out
check "convert on a terminal shows a progress line" grep -q 'converting to tty.qcow2: *100.0%' tty.out
check "  ... and the result" grep -q 'converted data.raw to tty.qcow2 (qcow2)' tty.out

# An interrupted convert leaves neither the target nor a temporary file.
dd if=/dev/urandom of=big.raw bs=1M count=400 status=none
"$VMPLAY" disk convert big.raw big.vdi --format vdi >out 2>err &
pid=$!
for _ in $(seq 200); do
	ls -A | grep -q '^\.big\.vdi\.vmplay-' && break
	sleep 0.05
done
kill -TERM "$pid"
wait "$pid"
rc=$?
check "interrupted convert exits non-zero" test "$rc" -ne 0
check "  ... says nothing was created" grep -q "convert interrupted; big.vdi was not created" err
check "  ... leaves no big.vdi" test ! -e big.vdi
check "  ... leaves no temporary file" test "$(ls -A | grep -c vmplay-)" -eq 0
rm -f big.raw

# --- an image in use by a running VM ----------------------------------------
vm out err disk create busy.qcow2 16M
qemu-system-x86_64 -display none -S -nodefaults -machine pc -accel tcg \
	-drive file=busy.qcow2,format=qcow2,if=ide >qemu.log 2>&1 &
QEMU_PID=$!
register_pid "$QEMU_PID"
held=
for _ in $(seq 300); do   # up to 30 s on a loaded machine
	if ! qemu-img info busy.qcow2 >/dev/null 2>&1; then held=1; break; fi
	sleep 0.1
done
check "QEMU holds the image lock" test -n "$held"
vm out err disk resize busy.qcow2 32M
check "resize of an image in use: exit 1" test $? -eq 1
check "  ... 'in use by a running VM'" grep -q "busy.qcow2 is in use by a running VM" err
check "  ... size unchanged" test "$(img_field busy.qcow2 virtual-size)" = $((16 << 20))
vm out err disk convert busy.qcow2 copy.raw --format raw
check "convert from an image in use: exit 1 with 'in use'" \
	bash -c "[ $? -eq 1 ] && grep -q 'in use by a running VM' err"
check "  ... no copy left" test ! -e copy.raw
vm out err disk info busy.qcow2
check "info still works on an image in use" bash -c "[ $? -eq 0 ] && grep -q '^format: *qcow2' out"
kill "$QEMU_PID"
wait "$QEMU_PID" 2>/dev/null
QEMU_PID=
vm out err disk resize busy.qcow2 32M
check "resize works once the VM is gone" test "$(img_field busy.qcow2 virtual-size)" = $((32 << 20))

finish
