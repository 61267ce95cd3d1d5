# bash completion for vmplay(1); installed as
# /usr/share/bash-completion/completions/vmplay (bash-completion loads it
# the first time Tab is pressed after "vmplay"; `source` it by hand
# elsewhere). It needs nothing from bash-completion: it reads only
# COMP_WORDS and COMP_CWORD, so it also works when sourced alone.
#
# Commands and options are read from vmplay's own --help, so a new command
# or option completes without touching this file (with a built-in list
# when vmplay cannot be run); what an option's value can be (disk
# formats, OS kinds) is listed here. Snapshot names come from
# `vmplay snapshot list --names FILE.vmplay`.

_vmplay_commands_known="new disk snapshot set get check import list view"
_vmplay_options_known="--dry-run --headless --fullscreen --kiosk --trust
	--keys --verbose --help --version"
_vmplay_formats="qcow2 raw vdi vmdk"

# _vmplay_help PROG [COMMAND...]: `PROG COMMAND... --help`, or nothing.
_vmplay_help()
{
	LC_ALL=C "$@" --help 2>/dev/null
}

# The first word of each indented line under HEADING: in stdin.
_vmplay_section()
{
	sed -n "/^$1:/,/^\$/s/^  \\([a-z][a-z-]*\\) .*/\\1/p"
}

# The long options of the option lines ("  -f, --format F  ...") in stdin.
_vmplay_options()
{
	sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p'
}

# A word as the shell would pass it (quotes, backslashes, ~), when it holds
# nothing that could run (the completion never evaluates $(...) typed on
# the line); else the word itself.
_vmplay_unquote()
{
	case $1 in
	*[\$\`\(\)\;\|\&\<\>]* | '') printf '%s' "$1" ;;
	*) eval "printf '%s' $1" 2>/dev/null || printf '%s' "$1" ;;
	esac
}

# Adds the words of $1 that start with $cur.
_vmplay_words()
{
	local w
	for w in $1; do
		[[ $w == "$cur"* ]] && COMPREPLY+=("$w")
	done
}

# Adds the folders and the files matching the glob $1 (default: all) for
# $cur; the shell then adds the slash after a folder and quotes blanks.
_vmplay_files()
{
	local f glob=${1:-*} word
	word=$(_vmplay_unquote "$cur")
	compopt -o filenames 2>/dev/null
	while IFS= read -r f; do
		if [[ -d $f ]]; then
			COMPREPLY+=("$f")
		elif [[ $f == $glob ]]; then
			COMPREPLY+=("$f")
		fi
	done < <(compgen -f -- "$word")
}

# Adds the snapshot names of the VM file $1 that start with what is typed
# from word $2 up to the cursor (a name may hold blanks, and colons, at
# which bash splits words: the names are offered from the last colon on).
_vmplay_snapshot_names()
{
	local file=$1 first=$2 typed= i name
	for ((i = first; i <= cword; i++)); do
		typed+=${words[i]}
	done
	typed=$(_vmplay_unquote "$typed")
	[[ -f $file ]] || return
	while IFS= read -r name; do
		[[ -n $name && $name == "$typed"* ]] || continue
		if [[ $typed == *:* && $COMP_WORDBREAKS == *:* ]]; then
			name=${name#"${typed%:*}:"}
		fi
		COMPREPLY+=("$(printf '%q' "$name")")
	done < <("$prog" snapshot list --names "$file" 2>/dev/null)
}

# The SECTION.KEY names of the VM file $1 (as typed), from `vmplay get`.
_vmplay_keys()
{
	"$prog" get "$(_vmplay_unquote "$1")" 2>/dev/null |
		sed -n 's/^\([a-z][a-z0-9_.-]*\) = .*/\1/p'
}

_vmplay()
{
	local words=("${COMP_WORDS[@]}") cword=$COMP_CWORD
	local cur=${words[cword]} prev=
	((cword > 0)) && prev=${words[cword - 1]}
	local prog
	prog=$(_vmplay_unquote "${words[0]:-vmplay}")
	COMPREPLY=()

	local commands
	commands=$(_vmplay_help "$prog" | _vmplay_section Commands)
	[[ -n $commands ]] || commands=$_vmplay_commands_known

	# The command, if any: the first word after the program.
	local cmd= c
	if ((cword > 1)); then
		for c in $commands; do
			[[ ${words[1]} == "$c" ]] && cmd=$c
		done
	fi

	case $cmd in
	'')
		if [[ $cur == -* ]]; then
			local options
			options=$(_vmplay_help "$prog" | _vmplay_options)
			_vmplay_words "${options:-$_vmplay_options_known}"
		else
			((cword == 1)) && _vmplay_words "$commands"
			_vmplay_files '*.vmplay'
		fi
		;;
	new)
		case $prev in
		-d | --dir) _vmplay_files '' ;;
		-f | --format) _vmplay_words "$_vmplay_formats" ;;
		--iso) _vmplay_files '*.[iI][sS][oO]' ;;
		--os) _vmplay_words "linux windows other" ;;
		--disk | -m | --memory | -c | --cpus) ;;
		*)
			[[ $cur == -* ]] && _vmplay_words "$(_vmplay_help "$prog" new |
				_vmplay_options)"
			;;
		esac
		;;
	disk)
		if ((cword == 2)); then
			local actions
			actions=$(_vmplay_help "$prog" disk | _vmplay_section Actions)
			_vmplay_words "${actions:-create info resize convert}"
			return
		fi
		case $prev in
		-f | --format) _vmplay_words "$_vmplay_formats" ;;
		-p | --preallocation) _vmplay_words "off metadata falloc full" ;;
		*)
			if [[ $cur == -* ]]; then
				_vmplay_words "$(_vmplay_help "$prog" disk "${words[2]}" |
					_vmplay_options)"
			else
				_vmplay_files
			fi
			;;
		esac
		;;
	snapshot)
		local action=${words[2]}
		if ((cword == 2)); then
			_vmplay_words "list take restore delete"
		elif [[ $cur == -* ]]; then
			[[ $action == list ]] && _vmplay_words "--names --help"
			[[ $action == list ]] || _vmplay_words "--help"
		elif ((cword == 3)) || [[ $action == list && $cword == 4 &&
			${words[3]} == --names ]]; then
			_vmplay_files '*.vmplay'
		elif ((cword >= 4)) && [[ $action == @(restore|delete) ]]; then
			_vmplay_snapshot_names "$(_vmplay_unquote "${words[3]}")" 4
		fi
		;;
	set | get)
		# FILE, then SECTION.KEY (set: SECTION.KEY=VALUE) from the keys
		# `vmplay get FILE` prints
		if [[ $cur == -* ]]; then
			_vmplay_words "$( { _vmplay_help "$prog" "$cmd" |
				_vmplay_options; echo --help; } | sort -u)"
		elif ((cword == 2)); then
			_vmplay_files '*.vmplay'
		elif [[ $cmd == get && $cword == 3 || $prev == --unset ]]; then
			_vmplay_words "$(_vmplay_keys "${words[2]}")"
		elif [[ $cmd == set && $cur != *=* ]]; then
			_vmplay_words "$(_vmplay_keys "${words[2]}" | sed 's/$/=/')"
			compopt -o nospace 2>/dev/null
		fi
		;;
	*)
		# a command without arguments of its own (check) or one that is
		# new: its options from its --help, which every command takes
		[[ $cur == -* ]] && _vmplay_words "$( { _vmplay_help "$prog" "$cmd" |
			_vmplay_options; echo --help; } | sort -u)"
		;;
	esac
}
complete -F _vmplay vmplay

# ex: filetype=sh
