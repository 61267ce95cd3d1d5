#!/bin/bash
# Shell completion as a user meets it: `make install` into a test prefix
# whose bin/ is on PATH, a bash with bash-completion loaded finds
# vmplay's completion by itself (complete -p vmplay after the loader ran),
# then Tab is simulated with COMP_WORDS/COMP_CWORD/COMP_LINE/COMP_POINT:
# commands, options, .vmplay files, disk formats and the snapshot names of
# the VM given on the line (from `vmplay snapshot list --names`, which is
# checked here too). The zsh completion is at least valid zsh when zsh is
# installed.
. "$(dirname "$0")/lib.sh"

BASH_COMPLETION=/usr/share/bash-completion/bash_completion
[ -r "$BASH_COMPLETION" ] || { skip "completion" "bash-completion not installed"; finish; }

PFX=$TMP/prefix
if ! make --no-print-directory -C "$E2E_ROOT" BUILD="$BUILD" install \
	PREFIX="$PFX" >"$TMP/install.log" 2>&1; then
	fail "install into a test prefix" "$(tail -n 3 "$TMP/install.log")"
	finish
fi
check "the bash completion is installed" \
	test -s "$PFX/share/bash-completion/completions/vmplay"
check "the zsh completion is installed" \
	test -s "$PFX/share/zsh/vendor-completions/_vmplay"
# bash-completion looks in $XDG_DATA_DIRS/bash-completion/completions
# (/usr/local/share and /usr/share by default)
export PATH=$PFX/bin:$PATH HOME=$TMP/home XDG_DATA_DIRS=$PFX/share:/usr/share
mkdir -p "$HOME"

# A VM with two qcow2 disks and snapshots, one name with a blank and one
# with colons (the date-and-time names `take` makes), next to other files.
WD=$TMP/work
mkdir -p "$WD/sub"
cd "$WD" || exit 1
printf '[vm]\nmemory = 64M\n[disk.system]\nfile = a.qcow2\nsize = 16M\n[disk.data]\nfile = b.qcow2\nsize = 16M\n' >vm.vmplay
: >other.txt
: >notes.vmplay.bak
cp vm.vmplay sub/inner.vmplay
check "make the disks" eval "vmplay disk create a.qcow2 16M && vmplay disk create b.qcow2 16M" >/dev/null
check "take snapshot 'before update'" vmplay snapshot take vm.vmplay "before update"
check "take snapshot 'base'" vmplay snapshot take vm.vmplay base
vmplay disk create "$TMP/c.qcow2" 16M >/dev/null
qemu-img snapshot -c only-on-a a.qcow2
check "take a snapshot named by the date" vmplay snapshot take vm.vmplay

names=$(vmplay snapshot list --names vm.vmplay)
dated=$(sed -n 4p <<<"$names")
if [ "$(sed -n 1,3p <<<"$names")" = "before update
base
only-on-a" ] && [[ $dated =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}\ [0-9:]{8}$ ]] &&
	[ "$(wc -l <<<"$names")" = 4 ]; then
	ok "snapshot list --names: each name once, one a line"
else
	fail "snapshot list --names: each name once, one a line" "$names"
fi
check "snapshot list FILE --names (flag after the file)" \
	eval "[ \"\$(vmplay snapshot list vm.vmplay --names)\" = \"\$names\" ]"

# complete LINE: what Tab offers at the end of LINE (one candidate a line,
# sorted), in a fresh bash that loads vmplay's completion the way
# bash-completion does on the first Tab.
complete_line() {
	bash --norc --noprofile -c '
		. "$1" || exit 9
		_completion_loader vmplay
		COMP_LINE=$2
		COMP_POINT=${#COMP_LINE}
		read -ra COMP_WORDS <<<"$COMP_LINE"
		[[ $COMP_LINE == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		spec=$(complete -p vmplay) || exit 8
		fn=$(sed -n "s/.*-F \([^ ]*\) .*/\1/p" <<<"$spec")
		"$fn" vmplay "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$BASH_COMPLETION" "$1"
}

# expect NAME LINE EXPECTED: Tab at the end of LINE offers exactly EXPECTED
# (candidates one a line, sorted).
expect() {
	local got
	got=$(complete_line "$2" 2>"$TMP/complete.err")
	if [ "$got" = "$(printf '%s\n' "$3" | sort)" ]; then
		ok "$1"
	else
		fail "$1" "'$2<TAB>' offers: $(tr '\n' '|' <<<"$got") $(head -c 300 "$TMP/complete.err")"
	fi
}

spec=$(bash --norc --noprofile -c '. "$1"; _completion_loader vmplay; complete -p vmplay' _ "$BASH_COMPLETION" 2>&1)
if [[ $spec == "complete -F _vmplay vmplay" ]]; then
	ok "complete -p vmplay: bash-completion finds it next to the program ($spec)"
else
	fail "complete -p vmplay" "$spec"
fi

expect "vmplay sn<TAB>: the snapshot command" "vmplay sn" "snapshot"
# every command `vmplay --help` lists (new, disk, snapshot, check at least)
commands=$(vmplay --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p')
check "vmplay --help lists new, disk, snapshot and check" eval \
	"[ \"\$(grep -xcE 'new|disk|snapshot|check' <<<'$commands')\" = 4 ]"
expect "vmplay <TAB>: commands, VM files and folders" "vmplay " \
	"$(printf '%s\n' $commands sub vm.vmplay)"
expect "vmplay --dr<TAB>: an option" "vmplay --dr" "--dry-run"
expect "vmplay --fullscreen <TAB>: VM files only after an option" \
	"vmplay --fullscreen " "$(printf '%s\n' sub vm.vmplay)"
expect "vmplay snapshot <TAB>: the actions" "vmplay snapshot " \
	"$(printf '%s\n' delete list restore take)"
expect "vmplay snapshot list <TAB>: VM files" "vmplay snapshot list " \
	"$(printf '%s\n' sub vm.vmplay)"
expect "vmplay snapshot list sub/<TAB>: VM files in a folder" \
	"vmplay snapshot list sub/" "sub/inner.vmplay"
expect "vmplay snapshot restore vm.vmplay <TAB>: the VM's snapshot names" \
	"vmplay snapshot restore vm.vmplay " \
	"$(printf '%s\n' 'before\ update' base only-on-a "${dated// /\\ }")"
expect "vmplay snapshot delete vm.vmplay b<TAB>: names starting with b" \
	"vmplay snapshot delete vm.vmplay b" "$(printf '%s\n' 'before\ update' base)"
expect "vmplay snapshot restore $WD/vm.vmplay bef<TAB>: an absolute path" \
	"vmplay snapshot restore $WD/vm.vmplay bef" 'before\ update'
expect "vmplay snapshot restore \$HOME-relative ~/..: tilde expanded" \
	"vmplay snapshot restore ~/../work/vm.vmplay ba" 'base'
expect "vmplay snapshot restore missing.vmplay <TAB>: nothing" \
	"vmplay snapshot restore missing.vmplay " ""
expect "vmplay disk <TAB>: the actions" "vmplay disk " \
	"$(printf '%s\n' convert create info resize)"
expect "vmplay disk create x.qcow2 1G --format <TAB>: disk formats" \
	"vmplay disk create x.qcow2 1G --format " "$(printf '%s\n' qcow2 raw vdi vmdk)"
expect "vmplay disk convert a.qcow2 b.vdi -f v<TAB>: formats starting with v" \
	"vmplay disk convert a.qcow2 b.vdi -f v" "$(printf '%s\n' vdi vmdk)"
expect "vmplay disk create x 1G --preallocation <TAB>" \
	"vmplay disk create x 1G --preallocation " "$(printf '%s\n' falloc full metadata off)"
expect "vmplay disk info --<TAB>: its options" "vmplay disk info --" \
	"$(printf '%s\n' --help --json)"
expect "vmplay new debian --os <TAB>" "vmplay new debian --os " \
	"$(printf '%s\n' linux other windows)"
expect "vmplay new debian --format <TAB>" "vmplay new debian --format " \
	"$(printf '%s\n' qcow2 raw vdi vmdk)"
expect "vmplay new debian --f<TAB>: its options" "vmplay new debian --f" "--format"
expect "vmplay check --<TAB>" "vmplay check --" "--help"
expect "vmplay set <TAB>: VM files" "vmplay set " "$(printf '%s\n' sub vm.vmplay)"
expect "vmplay get vm.vmplay vm.m<TAB>: its keys" "vmplay get vm.vmplay vm.m" "vm.memory"
expect "vmplay set vm.vmplay vm.c<TAB>: KEY=" "vmplay set vm.vmplay vm.c" "vm.cpus="
expect "vmplay set vm.vmplay --unset vm.c<TAB>: KEY" "vmplay set vm.vmplay --unset vm.c" "vm.cpus"

# The script alone, as a test or a shell without bash-completion uses it:
# sourced, COMP_WORDS and COMP_CWORD set (words split as bash splits them,
# colons apart), _vmplay called without arguments.
# complete_words [PATH_DIR] -- WORD...: the last WORD is the one at the cursor.
complete_words() {
	local path=$PATH
	if [ "$1" != -- ]; then path=$1; shift; fi
	shift
	PATH=$path bash --norc --noprofile -c '
		. "$1" || exit 9
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		_vmplay
		printf "%s\n" "${COMPREPLY[@]}" | sort' _ \
		"$E2E_ROOT/assets/completion/vmplay.bash" "$@"
}
expect_words() {
	local name=$1 want=$2 got
	shift 2
	got=$(complete_words "$@" 2>"$TMP/complete.err")
	if [ "$got" = "$(printf '%s\n' "$want" | sort)" ]; then
		ok "$name"
	else
		fail "$name" "offers: $(tr '\n' '|' <<<"$got") $(head -c 300 "$TMP/complete.err")"
	fi
}
expect_words "sourced alone: vmplay sn<TAB>" snapshot -- vmplay sn
expect_words "sourced alone: vmplay snapshot restore vm.vmplay <TAB>" \
	"$(printf '%s\n' 'before\ update' base only-on-a "${dated// /\\ }")" \
	-- vmplay snapshot restore vm.vmplay ""
# "2026-12-06\ 17:55:0" reaches the completion as 17 : 55 : 0
day=${dated%% *} hms=${dated#* }
IFS=: read -r hh mm ss <<<"$hms"
expect_words "sourced alone: a date-and-time name typed up to a colon" "${ss}" \
	-- vmplay snapshot restore vm.vmplay "$day\\ $hh" : "$mm" : "${ss:0:1}"
expect_words "sourced alone: options" "$(printf '%s\n' --headless --help)" -- vmplay --he
mkdir -p "$TMP/nopath"
ln -sf "$(command -v bash)" "$TMP/nopath/bash"
ln -sf "$(command -v sed)" "$TMP/nopath/sed"
ln -sf "$(command -v sort)" "$TMP/nopath/sort"
expect_words "without vmplay on PATH: the commands it knows" \
	"$(printf '%s\n' snapshot)" "$TMP/nopath" -- vmplay sn

if command -v zsh >/dev/null; then
	check "the zsh completion is valid zsh" zsh -n "$PFX/share/zsh/vendor-completions/_vmplay"
else
	skip "zsh completion syntax" "zsh not installed"
fi

cd / || exit 1
check "make uninstall removes the completions" eval \
	"make --no-print-directory -C '$E2E_ROOT' BUILD='$BUILD' uninstall PREFIX='$PFX' >/dev/null 2>&1 &&
	 ! test -e '$PFX/share/bash-completion/completions/vmplay'"
finish
