#!/bin/bash
# The Spanish man pages (issue 13): assets/es/vmplay.1 and vmplay.5 are
# translations of assets/vmplay.1 and vmplay.5 kept by hand, so this holds
# them in step:
# - every option, key combination, environment variable, VM-file section
#   and bold literal (commands, subcommands, VM-file keys and values, URIs)
#   of the English page is in the Spanish one (tests/lint/man_coverage.py
#   says what counts; a window title quoted in bold may be its translation
#   from po/es.po); a failure names each missing item;
# - each has as many sections (.SH) and items (.TP/.TQ) as its English page,
#   so a new entry in English needs its translation;
# - all four pages render without a groff warning, the Spanish ones through
#   preconv (their first line declares UTF-8) with their accents intact;
# - the checker itself fails on an English page with one more option, key,
#   section, variable or key combination, naming each;
# - a note (not a failure) when the English page changed since the Spanish
#   one was brought in line with it (its ".\" english-blob" line).
# Usage: test_man_es.sh [ROOT]   (default: the tree this script is in)
# Another language: a copy of this script with these two set.
lang=es description=DESCRIPCIÓN
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
here=$(cd "$(dirname "$0")" && pwd)
passed=0 failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
fail() { echo "FAIL - $1${2:+: $2}"; failed=$((failed + 1)); }
finish() { echo "$passed passed, $failed failed"; [ "$failed" = 0 ]; exit; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/vmplay-man-es.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

for tool in python3 groff preconv; do
	command -v "$tool" >/dev/null || { fail "$tool is installed" "deps/debian-test-packages.txt"; finish; }
done
coverage() { python3 "$here/man_coverage.py" "$@"; }
count() { grep -c "^\.\($2\)\b" "$1"; }

for page in vmplay.1 vmplay.5; do
	en=$root/assets/$page es=$root/assets/$lang/$page
	if [ ! -s "$es" ]; then
		fail "assets/$lang/$page exists"
		continue
	fi
	# (a bold message of the program, a window title, may be its translation
	# from the catalogue: what the Spanish user sees)
	if missing=$(coverage "$en" "$es" "$root/po/$lang.po"); then
		ok "assets/$lang/$page has every option, key, section and literal of assets/$page"
	else
		fail "assets/$lang/$page lacks what assets/$page has" "$(printf '\n  missing %s' "${missing//$'\n'/$'\n  missing '}")"
	fi
	for macro in 'SH' 'TP\|TQ'; do
		n_en=$(count "$en" "$macro") n_es=$(count "$es" "$macro")
		name=".${macro//\\|//.}"
		if [ "$n_en" = "$n_es" ]; then
			ok "assets/$lang/$page has the $n_en $name of assets/$page"
		else
			fail "assets/$lang/$page has as many $name as assets/$page" "$n_es, not $n_en"
		fi
	done
	# Prose changes a machine cannot judge: the Spanish page names the
	# English text it was last brought in line with (its git blob), and a
	# note (not a failure: the other checks hold what must not be missed)
	# says how to see what changed since.
	was=$(sed -n 's/^\.\\" english-blob \([0-9a-f]*\)$/\1/p' "$es")
	now=$(git hash-object "$en" 2>/dev/null)
	if [ -n "$now" ] && [ "$was" != "$now" ]; then
		echo "note - assets/$page changed since assets/$lang/$page was brought in line:" \
			"git diff ${was:-?} $now shows how; then set its english-blob line to $now"
	fi
	if head -n 1 "$es" | grep -q "coding: UTF-8"; then
		ok "assets/$lang/$page declares its encoding (man-db reads it)"
	else
		fail "assets/$lang/$page starts with '\\\" -*- coding: UTF-8 -*-"
	fi
	for p in "$en" "$es"; do
		rel=${p#"$root"/}
		warnings=$(groff -ww -man -Tutf8 -K utf8 -z "$p" 2>&1)
		if [ -z "$warnings" ]; then
			ok "groff -ww: $rel renders without a warning"
		else
			fail "groff -ww: $rel renders without a warning" "$(head -n 5 <<<"$warnings")"
		fi
		if command -v man >/dev/null; then
			warnings=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$p" 2>&1 >/dev/null)
			if [ -z "$warnings" ]; then
				ok "man --warnings -l $rel: none"
			else
				fail "man --warnings -l $rel: none" "$(head -n 5 <<<"$warnings")"
			fi
		fi
	done
	# what a reader sees: the headings' accents, not mojibake
	# (without overstriking: bold is "D\bD" on a terminal)
	shown=$(LC_ALL=C.UTF-8 groff -man -Tutf8 -K utf8 -P -c -P -b -P -u "$es" 2>/dev/null | sed "s/.\x08//g")
	if grep -q "$description" <<<"$shown" && ! grep -q 'Ã' <<<"$shown"; then
		ok "assets/$lang/$page shows its accents ($description)"
	else
		fail "assets/$lang/$page shows its accents" "$(sed -n 5p <<<"$shown")"
	fi
	if command -v man >/dev/null; then
		shown=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$es" 2>/dev/null)
		if grep -q "$description" <<<"$shown"; then
			ok "man -l assets/$lang/$page shows $description"
		else
			fail "man -l assets/$lang/$page shows $description" "$(sed -n 5p <<<"$shown")"
		fi
	fi
done

# The checker catches what a change to an English page only would miss.
en1=$tmp/vmplay.1
sed '/^\.SH "*SEE ALSO/,$d' "$root/assets/vmplay.1" >"$en1"
cat >>"$en1" <<'EOF'
.SH CANARY
Use \-\-zz\-prose or
.B "[zzcanary] zz\-key = on"
here; Ctrl+Alt+Z does it too.
.TP
.BR \-z ", " \-\-zz\-canary
.TP
.B ZZ_CANARY
EOF
sed -n '/^\.SH "*SEE ALSO/,$p' "$root/assets/vmplay.1" >>"$en1"
missing=$(coverage "$en1" "$root/assets/$lang/vmplay.1")
status=$?
expect="option --zz-prose|option -z|option --zz-canary|section [zzcanary]|bold text [zzcanary] zz-key = on|key combination Ctrl+Alt+Z|environment variable ZZ_CANARY"
absent=
IFS='|' read -ra wanted <<<"$expect"
for w in "${wanted[@]}"; do
	grep -qxF "$w" <<<"$missing" || absent="$absent; $w"
done
if [ "$status" = 1 ] && [ -z "$absent" ]; then
	ok "an English page with new options, a section, a key, a variable and a key combination fails, naming each"
else
	fail "the checker names what only the English page has" "status $status, not named:${absent#;}"
fi
finish
