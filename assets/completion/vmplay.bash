# bash completion for vmplay(1); installed as
# /usr/share/bash-completion/completions/vmplay (bash-completion loads it
# the first time Tab is pressed after "vmplay").
#
# Commands and options are read from vmplay's own --help, so a new command
# or option completes without touching this file; what an option's value
# can be (disk formats, OS kinds) is listed here. Snapshot names come from
# `vmplay snapshot list --names FILE.vmplay`.

# _vmplay_section PROG ARGS... HEADING: the first word of every indented
# line under HEADING (up to the next blank line) in `PROG ARGS... --help`.
_vmplay_section()
{
	local heading=${!#}
	"${@:1:$#-1}" --help 2>/dev/null |
		sed -n "/^$heading:/,/^\$/s/^  \\([a-z][a-z-]*\\) .*/\\1/p"
}

# Offers the candidates (one a line on stdin) that start with $cur, quoted
# for the shell (snapshot names may hold blanks).
_vmplay_offer()
{
	local line plain=${cur//\\/}
	while IFS= read -r line; do
		[[ -n $line && $line == "$plain"* ]] &&
			COMPREPLY+=("$(printf '%q' "$line")")
	done
}

_vmplay_vm_files()
{
	_filedir vmplay
}

_vmplay()
{
	local cur prev words cword
	_init_completion -n : || return

	local prog
	prog=$(dequote "${words[0]}")
	local formats="qcow2 raw vdi vmdk"

	# The command, if any: the first word after the program.
	local cmd=
	if ((cword > 1)); then
		local c
		for c in $(_vmplay_section "$prog" Commands); do
			[[ ${words[1]} == "$c" ]] && cmd=$c
		done
	fi

	case $cmd in
	'')
		if [[ $cur == -* ]]; then
			COMPREPLY=($(compgen -W '$(_parse_help "$prog")' -- "$cur"))
		else
			((cword == 1)) && COMPREPLY=($(compgen -W \
				'$(_vmplay_section "$prog" Commands)' -- "$cur"))
			_vmplay_vm_files
		fi
		;;
	new)
		case $prev in
		-d | --dir) _filedir -d ;;
		-f | --format) COMPREPLY=($(compgen -W "$formats" -- "$cur")) ;;
		--iso) _filedir iso ;;
		--os) COMPREPLY=($(compgen -W "linux windows other" -- "$cur")) ;;
		--disk | -m | --memory | -c | --cpus) ;;
		*)
			[[ $cur == -* ]] && COMPREPLY=($(compgen -W \
				'$(_parse_help "$prog" "new --help")' -- "$cur"))
			;;
		esac
		;;
	disk)
		if ((cword == 2)); then
			COMPREPLY=($(compgen -W \
				'$(_vmplay_section "$prog" disk Actions)' -- "$cur"))
			return
		fi
		case $prev in
		-f | --format) COMPREPLY=($(compgen -W "$formats" -- "$cur")) ;;
		-p | --preallocation)
			COMPREPLY=($(compgen -W "off metadata falloc full" -- "$cur")) ;;
		*)
			if [[ $cur == -* ]]; then
				COMPREPLY=($(compgen -W \
					'$(_parse_help "$prog" "disk ${words[2]} --help")' \
					-- "$cur"))
			else
				_filedir
			fi
			;;
		esac
		;;
	snapshot)
		local action=${words[2]}
		if ((cword == 2)); then
			COMPREPLY=($(compgen -W "list take restore delete" -- "$cur"))
		elif [[ $cur == -* ]]; then
			[[ $action == list ]] && COMPREPLY=($(compgen -W "--names" -- "$cur"))
		elif ((cword == 3)) || [[ $action == list && $cword == 4 &&
			${words[3]} == --names ]]; then
			_vmplay_vm_files
		elif ((cword == 4)) && [[ $action == @(restore|delete) ]]; then
			# the file as typed, with ~ and quoting undone
			local file
			__expand_tilde_by_ref words[3]
			file=$(dequote "${words[3]}") || return
			_vmplay_offer < <("$prog" snapshot list --names "$file" 2>/dev/null)
			__ltrim_colon_completions "$cur"
		fi
		;;
	*)
		# a command without arguments of its own (check) or one that is
		# new: its options from its --help, which every command takes
		[[ $cur == -* ]] && COMPREPLY=($(compgen -W \
			'$({ _parse_help "$prog" "$cmd --help"; echo --help; } | sort -u)' \
			-- "$cur"))
		;;
	esac
} &&
	complete -F _vmplay vmplay

# ex: filetype=sh
