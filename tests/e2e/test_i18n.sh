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
	# The whole catalogue, every helper's part of it: 0 untranslated,
	# 0 fuzzy (msgfmt only names the counts that are not 0).
	stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null "$po" 2>&1)
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

# English as it always was: LANG=C, whatever the catalogues hold.
en() {
	LANG=C LANGUAGE= LC_ALL=C LOCPATH="$TMP/locales" \
		VMPLAY_LOCALEDIR="$BUILD/locale" "$@"
}
# what a file holds and when it changed: proof it was not touched
stamp() { echo "$(sha256sum <"$1") $(stat -c %Y.%y "$1")"; }
# lacks TEXT FILE: FILE does not hold TEXT (else shows FILE)
lacks() { ! grep -q -- "$1" "$2" || { cat "$2"; return 1; }; }

# vmplay --help
es "$VMPLAY" --help >"$TMP/es.help" 2>&1
en "$VMPLAY" --help >"$TMP/c.help" 2>&1
check "--help in Spanish" grep -q '^Uso: vmplay \[OPTIONS\] FILE.vmplay' "$TMP/es.help"
check "  ... its options explained in Spanish" \
	grep -q '^  -h, --help         muestra esta ayuda$' "$TMP/es.help"
check "  ... the commands' summaries too" \
	grep -q '^  disk     crea, examina' "$TMP/es.help"
check "  ... option and command names stay as they are" \
	grep -q '^      --exit-on-poweroff$' "$TMP/es.help"
check "--help under LANG=C is English" grep -q '^Usage: vmplay \[OPTIONS\] FILE.vmplay' "$TMP/c.help"
check "  ... all of it" grep -q '^  -h, --help         show this help$' "$TMP/c.help"
check "  ... no Spanish in it" lacks 'muestra' "$TMP/c.help"
es "$VMPLAY" disk create --help >"$TMP/create-help.es" 2>&1
check "a command's --help in Spanish" \
	grep -q '^Uso: vmplay disk create PATH SIZE' "$TMP/create-help.es"

# A VM file with a typo'd key: the error names the file and the line.
printf '[vm]\nname = t\nmemroy = 2G\n' >"$TMP/typo.vmplay"
es "$VMPLAY" --dry-run "$TMP/typo.vmplay" >/dev/null 2>"$TMP/typo.es"
es_rc=$?
en "$VMPLAY" --dry-run "$TMP/typo.vmplay" >/dev/null 2>"$TMP/typo.c"
c_rc=$?
check "a typo'd key is refused in Spanish (exit $es_rc)" test "$es_rc" -ne 0
check "  ... naming the file and the line" grep -q "typo.vmplay:3" "$TMP/typo.es"
check "  ... and the key as written" grep -q "memroy" "$TMP/typo.es"
check "  ... in Spanish, not English" lacks 'unknown key' "$TMP/typo.es"
check "under LANG=C: refused (exit $c_rc), file:line, in English" \
	sh -c "[ $c_rc -ne 0 ] && grep -q \"typo.vmplay:3: unknown key 'memroy' in \\[vm\\]\" '$TMP/typo.c'"

# vmplay disk create over an existing file: refused, the file untouched.
if command -v qemu-img >/dev/null; then
	echo "precious" >"$TMP/keep.img"
	before=$(stamp "$TMP/keep.img")
	es "$VMPLAY" disk create "$TMP/keep.img" 1G >/dev/null 2>"$TMP/keep.es"
	es_rc=$?
	en "$VMPLAY" disk create "$TMP/keep.img" 1G >/dev/null 2>"$TMP/keep.c"
	c_rc=$?
	check "disk create over a file: refused in Spanish (exit $es_rc)" test "$es_rc" = 1
	check "  ... naming the file" grep -q "keep.img" "$TMP/keep.es"
	check "  ... in Spanish, not English" lacks 'already exists' "$TMP/keep.es"
	check "  ... under LANG=C: refused in English (exit $c_rc)" \
		sh -c "[ $c_rc = 1 ] && grep -q 'keep.img already exists' '$TMP/keep.c'"
	check "  ... the file untouched" test "$(stamp "$TMP/keep.img")" = "$before"

	# Sizes for people take the user's decimal point; QEMU's, the VM
	# file's and `vmplay list`'s keep '.'.
	es "$VMPLAY" disk create "$TMP/d.qcow2" 1536M >"$TMP/create.es" 2>&1
	check "disk create says the size with a decimal comma" \
		grep -q "^se ha creado .*d.qcow2 (qcow2, 1,5G)$" "$TMP/create.es"
	es "$VMPLAY" disk info "$TMP/d.qcow2" >"$TMP/info.es" 2>&1
	en "$VMPLAY" disk info "$TMP/d.qcow2" >"$TMP/info.c" 2>&1
	check "disk info in Spanish: 1,5G" grep -q '^tamaño virtual:  1,5G (1610612736 bytes)$' "$TMP/info.es"
	check "disk info under LANG=C: 1.5G as before" \
		grep -q '^virtual size: 1.5G (1610612736 bytes)$' "$TMP/info.c"
	home=$TMP/home
	mkdir -p "$home"
	es env HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" \
		"$VMPLAY" new es1 --memory 1536M --disk 1536M >"$TMP/new.es" 2>&1
	check "vmplay new reports in Spanish with a decimal comma" \
		grep -q "archivo de la máquina virtual: 1,5G, 2 CPU" "$TMP/new.es"
	check "  ... the VM file keeps '.' (1.5G or 1536M)" \
		grep -Eq '^memory *= *(1\.5G|1536M)$' "$home/.VM/es1/es1.vmplay"
	es env HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" \
		"$VMPLAY" list >"$TMP/list.es" 2>"$TMP/list.es.err"
	en env HOME="$home" XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" \
		"$VMPLAY" list >"$TMP/list.c" 2>"$TMP/list.c.err"
	check "vmplay list's table is the same in every language (scripts read it)" \
		cmp "$TMP/list.c" "$TMP/list.es"
	check "  ... English headings, '.' in sizes" \
		grep -Eq '^es1 +off +1\.5G +2 +1\.5G ' "$TMP/list.c"
else
	skip "disk create, info, new and list in Spanish" "no qemu-img"
fi

# vmplay check: the first two columns (status, item) stay English for
# scripts; the explanations are Spanish.
es "$VMPLAY" check >"$TMP/check.es" 2>/dev/null
en "$VMPLAY" check >"$TMP/check.c" 2>/dev/null
awk '{ print $1, $2 }' "$TMP/check.es" >"$TMP/cols.es"
awk '{ print $1, $2 }' "$TMP/check.c" >"$TMP/cols.c"
check "vmplay check's first two columns are the same in Spanish" \
	cmp "$TMP/cols.c" "$TMP/cols.es"
check "  ... and are the English words" \
	grep -Eq '^(ok|warning|missing) kvm$' "$TMP/cols.es"
check "  ... the kvm line explained in Spanish" \
	grep -Eq '^(ok|warning) +kvm +(/dev/kvm se puede usar|no se puede usar: )' "$TMP/check.es"
check "  ... the uefi line too" \
	grep -Eq '^(ok +uefi +OVMF /|warning +uefi +OVMF no está instalado)' "$TMP/check.es"
check "  ... under LANG=C the kvm line is English" \
	grep -Eq '^(ok|warning) +kvm +(/dev/kvm is usable: accel = auto uses KVM|not usable: )' "$TMP/check.c"
es "$VMPLAY" check --help >"$TMP/check-help.es" 2>&1
check "vmplay check --help in Spanish" grep -q '^Uso: vmplay check' "$TMP/check-help.es"

finish
