#!/bin/bash
# The package lists (issue 16 item 13): `make demo` installs only what
# building and playing need (deps/debian-packages.txt), `make deps` (CI)
# also the test tools (deps/debian-test-packages.txt); the demo VM's CD
# image comes from a package of the first list.
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1${2:+: $2}"; failed=$((failed + 1)); }
pkgs() { grep -v '^#' "$1" | grep -v '^$'; }

run=deps/debian-packages.txt tests=deps/debian-test-packages.txt
for tool in xvfb xdotool openbox imagemagick gcc-multilib x11-utils grub-rescue-pc; do
	if pkgs "$run" | grep -qx "$tool"; then
		fail "$tool (a test tool) is not installed by make demo" "$run lists it"
	elif pkgs "$tests" | grep -qx "$tool"; then
		ok "$tool is a test package only"
	else
		fail "$tool is in $tests"
	fi
done
both=$(sort <(pkgs "$run") <(pkgs "$tests") | uniq -d)
[ -z "$both" ] && ok "no package in both lists" || fail "no package in both lists" "$both"

demo=$(make -n -s demo 2>/dev/null | grep "deps/install.sh")
case $demo in
*"$run"*) case $demo in
	*"$tests"*) fail "make demo installs only $run" "$demo" ;;
	*) ok "make demo installs only $run" ;;
	esac ;;
*) fail "make demo installs $run" "$demo" ;;
esac
deps=$(make -n -s deps 2>/dev/null)
case $deps in
*"$run"*"$tests"*) ok "make deps installs both lists" ;;
*) fail "make deps installs both lists" "$deps" ;;
esac

iso=$(sed -n 's/^file *= *//p' configs/demo.vmplay | head -n 1)
owner=$(dpkg -S "$iso" 2>/dev/null | cut -d: -f1)
if [ -n "$owner" ] && pkgs "$run" | grep -qx "$owner"; then
	ok "the demo's $iso comes from $owner, which make demo installs"
elif [ -z "$owner" ]; then
	fail "the demo's CD image belongs to a Debian package" "$iso: dpkg -S finds none"
else
	fail "the demo's CD image comes from a package make demo installs" "$owner"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
