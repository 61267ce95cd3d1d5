#!/bin/bash
# Nothing left behind, nothing bent, nothing hangs:
#  - `vmplay disk convert` killed with SIGKILL leaves its hidden temporary
#    file; the next vmplay writing into that folder removes it (the name
#    records the PID, which runs no more). A SIGHUP (terminal closed) is
#    handled like SIGTERM: the temporary file goes at once.
#    A qemu-img wrapper that waits first keeps the convert running.
#  - a convert refused because the running VM holds the source names the
#    source; a disk the VM has read-only converts (its file cannot change).
#  - a FIFO as the VM file or as ~/.config/vmplay/vmplay.ini is refused
#    at once instead of waiting for a writer.
. "$(dirname "$0")/lib.sh"

KERNEL=$(guest_kernel)
[ -f "$KERNEL" ] || { fail "test guest built" "$KERNEL missing"; finish; }
export HOME=$TMP/home VMPLAY_MESSAGE_BOX=0 VMPLAY_POWERDOWN_TIMEOUT=1
mkdir -m 700 -p "$HOME" "$TMP/run" "$TMP/bin" "$TMP/d"
export XDG_RUNTIME_DIR=$TMP/run
REAL_QEMU_IMG=$(command -v qemu-img)

cat >"$TMP/bin/qemu-img" <<EOF
#!/bin/sh
# waits before a convert, so the test can interrupt it mid-way
if [ "\$1" = convert ]; then
	trap 'kill \$s 2>/dev/null; exit 143' TERM
	sleep 60 & s=\$!
	wait \$s
fi
exec "$REAL_QEMU_IMG" "\$@"
EOF
chmod +x "$TMP/bin/qemu-img"
qemu-img create -q -f qcow2 "$TMP/d/src.qcow2" 16M

temps() { ls -A "$TMP/d" | grep -c '^\.out.*\.vmplay-[0-9]*-' ; }

# convert_slow NAME: starts a convert of src.qcow2 to out.qcow2 through the
# waiting qemu-img; returns once its temporary file exists.
convert_slow() {
	PATH=$TMP/bin:$PATH spawn "$1" "$VMPLAY" disk convert \
		"$TMP/d/src.qcow2" "$TMP/d/out.qcow2" --format qcow2
	CPID=$SPAWNED_PID
	wait_for 20 eval 'test "$(temps)" -ge 1'
}

# 1. SIGKILL: left behind, removed by the next run in the folder
if convert_slow kill; then
	kill -KILL "$CPID"
	wait_exit "$CPID" 10
	left=$(temps)
	out=$("$VMPLAY" disk create "$TMP/d/new.qcow2" 1M 2>&1)
	if [ "$left" = 1 ] && [ "$(temps)" = 0 ] && [ ! -e "$TMP/d/out.qcow2" ] &&
		grep -q "removed .*\.out\.qcow2\.vmplay-$CPID-.*interrupted vmplay" <<<"$out"; then
		ok "a temporary file of a killed convert is removed by the next run in the folder"
	else
		fail "a temporary file of a killed convert is removed by the next run in the folder" \
			"left $left, now $(temps): $out"
	fi
else
	fail "convert started" "$(cat "$TMP/kill.log")"
fi

# a temporary file of a running convert is not touched by another run
if convert_slow live; then
	"$VMPLAY" disk create "$TMP/d/new2.qcow2" 1M >/dev/null 2>&1
	if [ "$(temps)" = 1 ]; then
		ok "a running convert's temporary file stays"
	else
		fail "a running convert's temporary file stays" "$(ls -A "$TMP/d")"
	fi
	# 2. SIGHUP: like SIGTERM, cleaned at once
	kill -HUP "$CPID"
	wait_exit "$CPID" 20
	if [ "$EXIT_STATUS" = 129 ] && [ "$(temps)" = 0 ] && [ ! -e "$TMP/d/out.qcow2" ] &&
		grep -q "convert interrupted" "$TMP/live.log"; then
		ok "SIGHUP stops a convert and removes its temporary file"
	else
		fail "SIGHUP stops a convert and removes its temporary file" \
			"status $EXIT_STATUS, $(temps) left: $(cat "$TMP/live.log")"
	fi
fi

# 3. convert while the VM runs
qemu-img create -q -f qcow2 "$TMP/d/sys.qcow2" 16M
qemu-img create -q -f qcow2 "$TMP/d/ref.qcow2" 16M
{ guest_vm_text conv; cat <<EOF

[disk.system]
file = sys.qcow2
format = qcow2

[disk.ref]
file = ref.qcow2
format = qcow2
readonly = true
EOF
} >"$TMP/d/conv.vmplay"
spawn conv "$VMPLAY" --headless "$TMP/d/conv.vmplay"
VPID=$SPAWNED_PID
if wait_line 60 "$TMP/conv.log" "conv: running"; then
	out=$("$VMPLAY" disk convert "$TMP/d/sys.qcow2" "$TMP/d/sys-copy.qcow2" --format raw 2>&1)
	if [ $? = 1 ] && grep -q "sys.qcow2 is in use by a running VM" <<<"$out" &&
		! grep -q "sys-copy" <<<"$out" && [ ! -e "$TMP/d/sys-copy.qcow2" ]; then
		ok "a convert refused for a running VM names the source"
	else
		fail "a convert refused for a running VM names the source" "$out"
	fi
	out=$("$VMPLAY" disk convert "$TMP/d/ref.qcow2" "$TMP/d/ref-copy.raw" --format raw 2>&1)
	if [ $? = 0 ] && [ -s "$TMP/d/ref-copy.raw" ]; then
		ok "a disk the running VM has read-only converts"
	else
		fail "a disk the running VM has read-only converts" "$out"
	fi
else
	fail "VM for convert started" "$(tail -n 3 "$TMP/conv.log")"
fi
kill -TERM "$VPID" 2>/dev/null
wait_exit "$VPID" 30

# 4. FIFOs are refused at once
mkfifo "$TMP/fifo.vmplay"
out=$(timeout 10 "$VMPLAY" --headless "$TMP/fifo.vmplay" 2>&1 </dev/null)
rc=$?
if [ "$rc" = 1 ] && grep -q "fifo.vmplay: not a regular file" <<<"$out"; then
	ok "a FIFO as the VM file is refused at once"
else
	fail "a FIFO as the VM file is refused at once" "status $rc: $out"
fi
mkdir -p "$HOME/.config/vmplay"
mkfifo "$HOME/.config/vmplay/vmplay.ini"
out=$(timeout 10 "$VMPLAY" --keys 2>&1 </dev/null)
rc=$?
if [ "$rc" != 124 ] && grep -q "vmplay.ini: not a regular file" <<<"$out"; then
	ok "a FIFO as the user settings file is refused at once"
else
	fail "a FIFO as the user settings file is refused at once" "status $rc: $out"
fi

# 5. VM file edits (vmplay set, the same rules as the menu's edits)
guest_vm_text edit >"$TMP/edit.vmplay"
chmod 0640 "$TMP/edit.vmplay"
out=$("$VMPLAY" set "$TMP/edit.vmplay" vm.cpus=2 2>&1)
if [ $? = 0 ] && [ "$(stat -c %a "$TMP/edit.vmplay")" = 640 ] &&
	grep -q '^cpus = 2' "$TMP/edit.vmplay" &&
	[ -z "$(ls -A "$TMP" | grep '\.vmplay-[0-9]*-')" ]; then
	ok "an edit keeps the file's mode and leaves no temporary file"
else
	fail "an edit keeps the file's mode and leaves no temporary file" "$out; $(stat -c %a "$TMP/edit.vmplay")"
fi
chmod 0444 "$TMP/edit.vmplay"
cp "$TMP/edit.vmplay" "$TMP/edit.orig"
out=$("$VMPLAY" set "$TMP/edit.vmplay" vm.cpus=3 2>&1)
if [ $? != 0 ] && grep -q "read-only (mode 0444)" <<<"$out" &&
	cmp -s "$TMP/edit.vmplay" "$TMP/edit.orig"; then
	ok "an edit of a read-only (0444) VM file is refused with a message"
else
	fail "an edit of a read-only (0444) VM file is refused with a message" "$out"
fi
chmod 0644 "$TMP/edit.vmplay"
ln "$TMP/edit.vmplay" "$TMP/edit-link.vmplay"
out=$("$VMPLAY" set "$TMP/edit.vmplay" vm.cpus=3 2>&1)
if [ $? != 0 ] && grep -q "1 other hard link" <<<"$out" &&
	cmp -s "$TMP/edit.vmplay" "$TMP/edit-link.vmplay"; then
	ok "an edit of a hard-linked VM file is refused, the links stay one file"
else
	fail "an edit of a hard-linked VM file is refused, the links stay one file" "$out"
fi

check "no QEMU left" wait_for 15 eval "! pgrep -f 'qemu-system.*guest=conv,' >/dev/null"
finish
