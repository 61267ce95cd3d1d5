#!/bin/bash
# End-to-end tests of `vmplay set` and `vmplay get` on a VM made by
# `vmplay new`: a change touches exactly the lines it names and keeps every
# comment; a refused value (the reader's FILE:LINE message, exit status 2)
# leaves the file byte for byte and untouched on disk, also when it comes
# with good edits; --dry-run then shows the new -m and -smp.
set -u
. "$(dirname "$0")/lib.sh"
VMPLAY=${VMPLAY:-$(dirname "$0")/../../build/vmplay}

mkdir -p "$TMP/home"
export HOME=$TMP/home XDG_CONFIG_HOME=$TMP/home/.config
cd "$TMP" || exit 1
shell_words() { python3 -c 'import shlex,sys; print("\n".join(shlex.split(sys.stdin.read())))'; }
# the value after WORD in the dry-run's words
after() { "$VMPLAY" --dry-run "$F" 2>/dev/null | shell_words | grep -A1 -x -- "$1" | tail -n 1; }

vm out err new setvm --memory 1G --cpus 1 --disk 64M
check "vmplay new makes the VM" test $? -eq 0
F=$HOME/.VM/setvm/setvm.vmplay
cp "$F" orig.vmplay
comments=$(grep -c '^[[:space:]]*[;#]\|;' "$F")

# --- a good change ---
vm out err set "$F" vm.memory=3G vm.cpus=3
check "set vm.memory=3G vm.cpus=3 exits 0" test $? -eq 0
d=$(diff orig.vmplay "$F" | grep '^[<>]' | sed 's/ *;.*//' | sort | tr '\n' '|')
check "exactly the memory and cpus lines changed ($d)" \
	test "$d" = "< cpus = 1|< memory = 1G|> cpus = 3|> memory = 3G|"
check "every comment kept" test "$(grep -c '^[[:space:]]*[;#]\|;' "$F")" = "$comments"
check "--dry-run shows -m 3072M" test "$(after -m)" = 3072M
check "--dry-run shows -smp 3" test "$(after -smp)" = 3

# --- refused values: exit 2, the file untouched ---
cp "$F" good.vmplay
before=$(fingerprint "$F")
refused() { # DESCRIPTION MESSAGE-REGEX ARGS...
	local what=$1 msg=$2
	shift 2
	vm out err set "$F" "$@"
	local st=$?
	if [ "$st" = 2 ] && grep -Eq -- "$msg" err && cmp -s "$F" good.vmplay &&
		[ "$(fingerprint "$F")" = "$before" ]; then
		ok "$what: exit 2, file untouched"
	else
		fail "$what: exit 2, file untouched" "status $st: $(cat err)"
	fi
}
refused "a bad size" "^vmplay set: $F:[0-9]+: memory: 'lots' is not a size" vm.memory=lots
refused "a good edit with a bad one" "cpus: '999' is out of range" vm.memory=2G vm.cpus=999
refused "an unknown key" "unknown key 'colour' in \[display\]" display.colour=blue
refused "an unknown section" "unknown section \[bogus\]" bogus.key=1
refused "a bad choice" "scale: 'huge' is not valid \(one of: fit, integer, stretch, none\)" display.scale=huge
refused "a bad port forward" "forward" network.forward=tcp:99999:22
refused "a bad shortcut" "menu: 'ctrl\+alt\+nosuchkey' is not a key" keys.menu=ctrl+alt+nosuchkey
refused "a value with a line break" "cannot hold this value" "vm.name=a
b"
vm out err set "$F" memory=2G
check "not SECTION.KEY=VALUE: exit 2" test $? = 2
check "  ... says so" grep -q "is not SECTION.KEY" err
vm out err set "$F"
check "no assignment: usage, exit 2" test $? = 2
vm out err set "$TMP/nosuch.vmplay" vm.cpus=2
check "a missing file: exit 1" test $? = 1
check "  ... names it" grep -q "nosuch.vmplay" err

# --- new sections, unset, get ---
vm out err set "$F" display.scale=integer input.pointer=ps2 "network.forward=tcp:2222:22, tcp:8080:80"
check "set into sections the file lacks" test $? = 0
check "  ... [display] scale = integer" eval 'grep -A3 "^\[display\]" "$F" | grep -qx "scale = integer"'
vm out err get "$F" display.scale
check "get display.scale" test "$(cat out)" = integer
vm out err get "$F" network.forward
check "get network.forward" test "$(cat out)" = "tcp:2222:22, tcp:8080:80"
vm out err set "$F" --unset display.scale
check "--unset display.scale" eval '! grep -q "^scale" "$F"'
vm out err get "$F" display.scale
check "get shows the default after --unset" test "$(cat out)" = fit
vm out err get "$F" boot.kernel
check "get of an unset key without a default: exit 1" test $? = 1
vm out err get "$F"
check "get lists the settings" grep -qx "vm.memory = 3G" out
check "  ... with defaults" grep -qx "audio.device = hda" out
vm out err set "$F" keys.menu=ctrl+shift+F12
check "a shortcut" test $? = 0
check "  ... vmplay --keys shows it" eval '"$VMPLAY" --keys "$F" | grep -Eq "^menu +ctrl\+shift\+f12"'
finish
