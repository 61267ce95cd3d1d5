#!/bin/bash
# Issue 13: every text a person reads is marked for translation. xgettext
# picks the literal texts handed straight to the functions that show or
# build messages (below) -- a text wrapped in _() is not a literal there,
# so what it finds was forgotten. Only prose counts (two words in a row:
# "-drive file=%s" or "%s: %s" are syntax); what must stay English
# (QEMU's and QMP's words, file syntax, debug logs) is listed, one msgid
# per line, in po/not-translated.txt. log_debug is not looked at: --verbose
# is for developers and bug reports, and stays English.
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root" || exit 2
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1${2:+: $2}"; failed=$((failed + 1)); }

# the functions whose text argument a person may read
keywords=(
	xasprintf:1 xvasprintf:1 strv_pushf:2
	log_error:1 log_warn:1 log_info:1 log_msg:2
	printf:1 fprintf:2 dprintf:2 puts:1 fputs:1 snprintf:3
	toast:3 render_set_message:2 kiosk_set_message:2
)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

args=()
for k in "${keywords[@]}"; do args+=("--keyword=$k"); done
# the keywords alone: _ and N_ are not among them on purpose
if ! LC_ALL=C.UTF-8 xgettext --from-code=UTF-8 --language=C -k "${args[@]}" --no-wrap \
	--omit-header -o "$tmp/found.po" $(find src -name '*.c' | sort) \
	2>"$tmp/err"; then
	fail "xgettext reads the sources" "$(head -n 3 "$tmp/err")"
	echo "$passed passed, $failed failed"
	exit 1
fi
# "file:line<TAB>msgid" for every prose text; \" stays escaped as in .po.
# A text with \n is written as msgid "" and continuation lines: joined.
awk '
	function flush() {
		if (inid && id ~ /[A-Za-z][A-Za-z]+ +[A-Za-z][A-Za-z]+/)
			print where "\t" id
		inid = 0
	}
	/^#: / { flush(); where = $2; next }
	/^msgid "/ { flush(); id = substr($0, 8, length($0) - 8); inid = 1; next }
	/^"/ { if (inid) id = id substr($0, 2, length($0) - 2); next }
	{ flush() }
	END { flush() }' "$tmp/found.po" >"$tmp/prose"
allow=po/not-translated.txt
touch "$tmp/allow"
[ -f "$allow" ] && grep -v '^#' "$allow" | grep -v '^$' >"$tmp/allow"
# (FILENAME, not NR == FNR: the list may be empty)
awk -F'\t' -v allow="$tmp/allow" 'FILENAME == allow { allowed[$0] = 1; next }
	!($2 in allowed)' "$tmp/allow" "$tmp/prose" >"$tmp/unmarked"
n=$(wc -l <"$tmp/unmarked")
if [ "$n" -eq 0 ]; then
	ok "every prose text shown to people is marked for translation ($(wc -l <"$tmp/allow") stay English on purpose)"
else
	fail "$n prose texts are not marked with _() (or listed in $allow)" \
		"$(head -n 40 "$tmp/unmarked" | tr '\t' ' ' | sed 's/^/\n    /' | tr -d '\n')"
fi
# the list holds nothing stale: each entry is still in the sources
stale=$(awk -F'\t' -v prose="$tmp/prose" 'FILENAME == prose { seen[$2] = 1; next }
	!($0 in seen)' "$tmp/prose" "$tmp/allow")
[ -z "$stale" ] && ok "$allow names only texts that exist" ||
	fail "$allow names texts no longer in src/" "$(echo "$stale" | head -n 5 | tr '\n' '|')"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
