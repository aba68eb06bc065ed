# SPDX-License-Identifier: GPL-2.0
# bash completion for tcptune(8).  Knob and algorithm names come from the
# running kernel (`tcptune -j knobs`, `tcptune -j algos`), never from a list
# kept here.

_tcptune_json_names()	# KIND: knobs -> "algo.name", algos -> "name"
{
	local tool=$1 kind=$2 netns=$3 py
	py=/usr/bin/python3
	[ -x "$py" ] || py=python3
	"$tool" ${netns:+-n "$netns"} -j "$kind" 2>/dev/null | "$py" -c '
import json, sys
try:
    d = json.load(sys.stdin)
except ValueError:
    sys.exit(0)
for o in d:
    print("%s.%s" % (o["algo"], o["name"]) if sys.argv[1] == "knobs" else o["name"])
' "$kind" 2>/dev/null
}

_tcptune()
{
	local cur prev words cword
	if declare -F _init_completion >/dev/null; then
		_init_completion || return
	else
		cur=${COMP_WORDS[COMP_CWORD]}
		prev=${COMP_WORDS[COMP_CWORD - 1]}
		words=("${COMP_WORDS[@]}")
		cword=$COMP_CWORD
	fi

	local tool=${words[0]} cmd="" netns="" i
	local cmds="sockets algos knobs set monitor watch plot help"
	local opts="-j --json -p --pretty -n --netns -d --debug -h --help -V --version"
	local filters="algo src dst sport dport ca-state sk"

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-n | --netns) netns=${words[i + 1]}; ((i++)) ;;
		-*) ;;
		*) [ -z "$cmd" ] && cmd=${words[i]} ;;
		esac
	done

	case $prev in
	-n | --netns)
		COMPREPLY=($(compgen -W "$(ip netns list 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return ;;
	-o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-i | --interval | -c | --count | --title | sk | src | dst | sport | dport)
		return ;;
	ca-state)
		COMPREPLY=($(compgen -W "Open Disorder CWR Recovery Loss" -- "$cur"))
		return ;;
	algo)
		COMPREPLY=($(compgen -W "$(_tcptune_json_names "$tool" algos "$netns")
			reno newreno bbr $(cat /proc/sys/net/ipv4/tcp_available_congestion_control 2>/dev/null)" -- "$cur"))
		return ;;
	esac

	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$cmds $opts" -- "$cur"))
		return
	fi
	case $cmd in
	sockets | socket | sock)
		COMPREPLY=($(compgen -W "-a --all $filters $opts" -- "$cur")) ;;
	watch)
		COMPREPLY=($(compgen -W "-i --interval -c --count --csv -o --output -a --all $filters $opts" -- "$cur")) ;;
	monitor)
		COMPREPLY=($(compgen -W "-c --count $filters $opts" -- "$cur")) ;;
	knobs)
		local names
		names=$(_tcptune_json_names "$tool" knobs "$netns")
		COMPREPLY=($(compgen -W "$names $(printf '%s\n' $names | cut -d. -f1 | sort -u) $opts" -- "$cur")) ;;
	set)
		if [[ $cur == *=* ]]; then
			local knob=${cur%%=*}
			# bool knobs: on/off
			COMPREPLY=($(compgen -P "$knob=" -W "on off" -- "${cur#*=}"))
		else
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -S = -W "$(_tcptune_json_names "$tool" knobs "$netns")" -- "$cur"))
			[ ${#COMPREPLY[@]} = 0 ] && COMPREPLY=($(compgen -W "-f --force" -- "$cur"))
		fi ;;
	plot)
		COMPREPLY=($(compgen -W "-o --output --png --title sk" -- "$cur"))
		COMPREPLY+=($(compgen -f -X '!*.csv' -- "$cur")) ;;
	help)
		COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
	esac
}
complete -F _tcptune tcptune
