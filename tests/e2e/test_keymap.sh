#!/bin/bash
# keymap against the real QEMU: every qnum of vmplay's scancode table is sent
# to qemu-system-x86_64 (machine "none": no guest, no CPU load) through QMP
# send-key, the same qnum -> qcode conversion VNC extended key events go
# through, and the qcode QEMU traces must be the key the table means.
set -u
: "${BUILD:?BUILD must name the build folder}"
dump=$BUILD/tests/test_keymap
tmp=$(mktemp -d)
qemu_pid=
cleanup() {
	[ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null && wait "$qemu_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

passed=0 failed=0
ok() { echo "ok   $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1"; failed=$((failed + 1)); }

if ! "$dump" --dump >"$tmp/table"; then
	fail "dump the table ($dump --dump)"
	echo "$passed passed, $failed failed"
	exit 1
fi

qemu-system-x86_64 -machine none -nodefaults -display none \
	-qmp "unix:$tmp/qmp.sock,server=on,wait=off" \
	-trace input_event_key_qcode -D "$tmp/trace" 2>"$tmp/stderr" &
qemu_pid=$!
for _ in $(seq 300); do
	[ -S "$tmp/qmp.sock" ] && break
	sleep 0.1
done

# The QMP client: one send-key per table line, then quit. Key events are
# queued in order, so the trace lists the keys in table order.
if python3 - "$tmp/qmp.sock" "$tmp/table" <<'EOF'
import json, socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(60)
s.connect(sys.argv[1])
f = s.makefile("rw")
f.readline()
def cmd(c):
    f.write(json.dumps(c) + "\n")
    f.flush()
    while True:
        r = json.loads(f.readline())
        if "return" in r or "error" in r:
            if "error" in r:
                sys.exit("QMP error: %s" % r)
            return r
cmd({"execute": "qmp_capabilities"})
for line in open(sys.argv[2]):
    qnum = int(line.split()[0], 16)
    cmd({"execute": "send-key", "arguments": {
        "keys": [{"type": "number", "data": qnum}], "hold-time": 1}})
# A last marker key, so the script knows when the queue has drained.
cmd({"execute": "send-key", "arguments": {
    "keys": [{"type": "qcode", "data": "f12"}], "hold-time": 1}})
EOF
then ok "QMP session sent $(wc -l <"$tmp/table") keys"
else fail "QMP session (stderr: $(cat "$tmp/stderr"))"
fi

expected=$(($(wc -l <"$tmp/table") + 1))
for _ in $(seq 300); do
	[ "$(grep -c 'down 0' "$tmp/trace" 2>/dev/null)" -ge "$expected" ] && break
	sleep 0.1
done
kill "$qemu_pid" 2>/dev/null
wait "$qemu_pid" 2>/dev/null
qemu_pid=

mapfile -t got < <(sed -n 's/.*key qcode \([a-z0-9_]*\), down 1.*/\1/p' "$tmp/trace")
i=0
while read -r qnum want name; do
	have=${got[$i]:-missing}
	i=$((i + 1))
	# F13..F24 have qcodes only in QEMU 8 and later.
	if [ "$have" = "$want" ] ||
	   { [[ $want =~ ^f(1[3-9]|2[0-4])$ ]] && [ "$have" = unmapped ]; }; then
		ok "$name: qnum $qnum is $have"
	else
		fail "$name: qnum $qnum is '$have' in QEMU, want '$want'"
	fi
done <"$tmp/table"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
