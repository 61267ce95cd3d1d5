#!/bin/bash
# vmplay --keys: the shortcut table the binary prints, with no user file.
set -u
: "${VMPLAY:?VMPLAY must name the built binary}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

passed=0 failed=0
check() {   # check NAME COMMAND...: passes when the command succeeds
	local name=$1
	shift
	if "$@"; then
		echo "ok   $name"
		passed=$((passed + 1))
	else
		echo "FAIL $name"
		failed=$((failed + 1))
	fi
}

cat >"$tmp/want" <<'TABLE'
menu          ctrl+alt+m
pause         ctrl+alt+p
snapshot      ctrl+alt+s
fullscreen    ctrl+alt+f
release       ctrl+alt+g
quit          ctrl+alt+q
ctrl-alt-del  ctrl+alt+delete
screenshot    none
TABLE

XDG_CONFIG_HOME=$tmp/config "$VMPLAY" --keys >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--keys exits 0" [ "$rc" -eq 0 ]
check "--keys prints the default table" cmp -s "$tmp/out" "$tmp/want"
check "--keys prints nothing on stderr" [ ! -s "$tmp/err" ]
check "--help mentions --keys" bash -c '"$0" --help | grep -q -- --keys' "$VMPLAY"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
