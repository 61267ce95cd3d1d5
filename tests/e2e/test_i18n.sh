#!/bin/bash
# Translations: every catalogue in po/LINGUAS is complete and current (each
# marked text of src/ translated, nothing fuzzy), and a Spanish user gets
# Spanish from the built binary while LANG=C stays exactly English.
. "$(dirname "$0")/lib.sh"
: "${VMPLAY:?VMPLAY must name the built binary}" "${BUILD:?BUILD must name the build folder}"
root=$(cd "$(dirname "$0")/../.." && pwd)

for tool in xgettext msgfmt msgcmp localedef; do
	if ! command -v "$tool" >/dev/null; then
		skip "translations" "$tool missing (make deps installs gettext and locales)"
		finish
	fi
done

# The template as the sources mark texts today.
(cd "$root" && xgettext --from-code=UTF-8 --language=C --keyword=_ \
	--keyword=N_ --keyword=ngettext:1,2 -o "$TMP/vmplay.pot" \
	src/*/*.c src/main.c 2>/dev/null)
check "xgettext finds the marked texts" test -s "$TMP/vmplay.pot"
for lang in $(sed 's/#.*//' "$root/po/LINGUAS"); do
	po=$root/po/$lang.po
	check "$lang.po compiles cleanly" msgfmt --check -o /dev/null "$po"
	stats=$(LC_ALL=C msgfmt --statistics -o /dev/null "$po" 2>&1)
	if echo "$stats" | grep -Eq 'untranslated|fuzzy'; then
		fail "$lang.po is complete" "$stats"
	else
		ok "$lang.po is complete ($stats)"
	fi
	check "$lang.po has every text the sources mark" \
		msgcmp --use-untranslated "$po" "$TMP/vmplay.pot"
	check "$lang's catalogue is built" \
		test -s "$BUILD/locale/$lang/LC_MESSAGES/vmplay.mo"
done

# A private Spanish locale: no root, no system change.
mkdir -p "$TMP/locales"
check "the es_ES.UTF-8 locale can be made" \
	localedef -i es_ES -f UTF-8 "$TMP/locales/es_ES.UTF-8"
es() {
	LANG=es_ES.UTF-8 LANGUAGE= LC_ALL= LOCPATH="$TMP/locales" \
		VMPLAY_LOCALEDIR="$BUILD/locale" "$@"
}

# A warning vmplay prints on a machine without usable KVM.
printf '[vm]\nname = t\naccel = auto\n' >"$TMP/t.vmplay"
"$VMPLAY" --dry-run "$TMP/t.vmplay" >/dev/null 2>"$TMP/c.err"
es "$VMPLAY" --dry-run "$TMP/t.vmplay" >/dev/null 2>"$TMP/es.err"
if grep -q '^vmplay: warning: ' "$TMP/c.err"; then
	check "a warning reads 'aviso' in Spanish" grep -q '^vmplay: aviso: ' "$TMP/es.err"
	check "LANG=C keeps 'warning'" grep -q '^vmplay: warning: ' "$TMP/c.err"
else
	skip "a warning in Spanish" "KVM is usable here: no warning to look at"
fi
# The QEMU command line is syntax: identical in every language.
"$VMPLAY" --dry-run "$TMP/t.vmplay" 2>/dev/null | sed 's/-[0-9]*\//-PID\//g' >"$TMP/c.out"
es "$VMPLAY" --dry-run "$TMP/t.vmplay" 2>/dev/null | sed 's/-[0-9]*\//-PID\//g' >"$TMP/es.out"
check "the QEMU command line does not change with the language" \
	cmp "$TMP/c.out" "$TMP/es.out"

finish
