#!/bin/bash
# Runs each test program or script given, shows its output, and sums the
# "N passed, N failed" line each one ends with. A program that exits
# non-zero, or prints no such line, counts as (at least) one failure.
passed=0
failed=0
failures=()
out=$(mktemp)
trap 'rm -f "$out"' EXIT
times=()
for test in "$@"; do
	echo "== $test"
	t0=$SECONDS
	"$test" 2>&1 | tee "$out"
	rc=${PIPESTATUS[0]}
	times+=("$((SECONDS - t0)) $test")
	summary=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$out" | tail -n 1)
	p=0 f=0
	if [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed ]]; then
		p=${BASH_REMATCH[1]} f=${BASH_REMATCH[2]}
	fi
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$test exited with status $rc"
		f=1
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failures+=("$test")
done
# the slowest, for keeping the suite within its time
printf '%s\n' "${times[@]}" | sort -rn | head -n 8 |
	awk '{ printf "slowest: %4d s  %s\n", $1, $2 }'
[ ${#failures[@]} -eq 0 ] || echo "failed in: ${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
