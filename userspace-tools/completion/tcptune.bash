# SPDX-License-Identifier: GPL-2.0
# bash completion for tcptune(8).  Knob and algorithm names (and which knobs
# are bool) come from the running kernel (`tcptune -j knobs`, `tcptune -j
# algos`), never from a list kept here.  Needs bash and sed, nothing else.

# KIND: knobs -> "algo.name unit" per line, algos -> "name".  From the JSON
# the tool prints (json-c, plain: one object after another, keys in a fixed
# order, none of these values holding a quote), with sed alone.
_tcptune_names()
{
	local tool=$1 kind=$2 netns=$3
	"$tool" ${netns:+-n "$netns"} -j "$kind" 2>/dev/null | sed 's/},{/}\n{/g' |
	if [ "$kind" = knobs ]; then
		sed -n 's/.*"algo":"\([^"]*\)","name":"\([^"]*\)".*"unit":"\([^"]*\)".*/\1.\2 \3/p'
	else
		sed -n 's/.*"name":"\([^"]*\)".*/\1/p'
	fi
}

# The command a word names: itself, an alias, or a unique prefix (as tcptune).
_tcptune_cmd()
{
	local w=$1 c hit="" n=0
	case $w in
	socket | sock | show) echo sockets; return ;;
	algo | algorithms) echo algos; return ;;
	knob) echo knobs; return ;;
	mon | events) echo monitor; return ;;
	esac
	for c in sockets algos knobs set monitor watch plot help summary metrics; do
		[ "$c" = "$w" ] && { echo "$c"; return; }
		[[ $c == "$w"* ]] && { hit=$c; n=$((n + 1)); }
	done
	[ $n = 1 ] && echo "$hit"
}

_tcptune()
{
	local cur prev words cword line
	# The words from the line itself, split at blanks only: COMP_WORDS is
	# also split at COMP_WORDBREAKS ("=", ":"), which cuts reno.beta=on.
	line=${COMP_LINE:0:COMP_POINT}
	read -ra words <<<"$line"
	[[ $line == *[[:space:]] || ${#words[@]} = 0 ]] && words+=("")
	cword=$((${#words[@]} - 1))
	cur=${words[cword]}
	prev=${words[cword - 1]}

	local tool=${words[0]} cmd="" netns="" i
	local cmds="sockets algos knobs set monitor watch plot help summary metrics"
	local opts="-j --json -p --pretty -n --netns -d --debug -h --help -V --version"
	local filters="state exclude algo src dst sport dport ca-state sk and or not
		dev fwmark cgroup autobound"
	local states="established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait closed
		close-wait last-ack listening closing all connected synchronized bucket big"
	local sortf="cwnd ssthresh srtt_us rtt rttvar_us minrtt_us minrtt rto_us rto mss retrans
		total_retrans lost sacked unacked inflight delivered bytes_acked delivery_rate_bps
		delivery_rate pacing_rate_bps pacing_rate rtos sport dport recv_q send_q bytes_sent
		bytes_retrans notsent snd_wnd send_bps send goodput_bps goodput retrans_delta
		bytes_retrans_delta"

	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		-n | --netns) netns=${words[i + 1]}; ((i++)) ;;
		-*) ;;
		*) [ -z "$cmd" ] && cmd=$(_tcptune_cmd "${words[i]}") && [ -z "$cmd" ] && return ;;
		esac
	done

	case $prev in
	-n | --netns)
		COMPREPLY=($(compgen -W "$(ip netns list 2>/dev/null | awk '{print $1}')" -- "$cur"))
		return ;;
	-o | --output)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-i | --interval | -c | --count | --title | --top | sk | src | dst | sport | dport | fwmark)
		return ;;
	dev)	# the interfaces of the namespace (-n)
		COMPREPLY=($(compgen -W "$(ip ${netns:+-n "$netns"} -o link show 2>/dev/null |
			sed -n 's/^[0-9]*: \([^:@ ]*\).*/\1/p')" -- "$cur"))
		return ;;
	cgroup)	# paths under the cgroup2 mount, as ss --cgroup prints them
		local cgm
		cgm=$(awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts 2>/dev/null)
		[ -n "$cgm" ] && COMPREPLY=($(cd "$cgm" 2>/dev/null && compgen -d -P / -- "${cur#/}"))
		return ;;
	state | exclude)
		COMPREPLY=($(compgen -W "$states" -- "$cur"))
		return ;;
	--sort)
		COMPREPLY=($(compgen -W "$sortf" -- "$cur"))
		return ;;
	ca-state)
		COMPREPLY=($(compgen -W "Open Disorder CWR Recovery Loss" -- "$cur"))
		return ;;
	algo)
		COMPREPLY=($(compgen -W "$(_tcptune_names "$tool" algos "$netns")
			reno newreno bbr $(cat /proc/sys/net/ipv4/tcp_available_congestion_control 2>/dev/null)" -- "$cur"))
		return ;;
	esac

	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$cmds $opts" -- "$cur"))
		return
	fi
	case $cmd in
	sockets)
		COMPREPLY=($(compgen -W "-a --all -4 --ipv4 -6 --ipv6 -P --processes --cgroup --sort --top
			$filters $opts" -- "$cur")) ;;
	watch)
		COMPREPLY=($(compgen -W "-i --interval -c --count --csv -o --output -a --all --sort --top
			$filters $opts" -- "$cur")) ;;
	monitor)
		if [ "$prev" = type ]; then
			# TYPE[,TYPE...]: the name after the last comma
			local pre=""
			[[ $cur == *,* ]] && pre=${cur%,*},
			COMPREPLY=($(compgen -P "$pre" -W "recovery_enter recovery_exit rto bbr_state
				recovery loss all" -- "${cur##*,}"))
		else
			COMPREPLY=($(compgen -W "-c --count -t --timestamp -ts --tshort type $filters $opts" -- "$cur"))
		fi ;;
	knobs)
		local names
		names=$(_tcptune_names "$tool" knobs "$netns" | cut -d' ' -f1)
		COMPREPLY=($(compgen -W "$names $(printf '%s\n' $names | cut -d. -f1 | sort -u) $opts" -- "$cur")) ;;
	set)
		if [[ $cur == *=* ]]; then
			local knob=${cur%%=*} unit
			unit=$(_tcptune_names "$tool" knobs "$netns" | awk -v k="$knob" '$1 == k { print $2 }')
			# on/off for bool knobs only; an integer has no list to offer
			[ "$unit" = bool ] && COMPREPLY=($(compgen -W "on off" -- "${cur#*=}"))
			# readline replaces only what follows the "=" when it breaks
			# words there; else the whole word
			if [[ $COMP_WORDBREAKS != *=* ]]; then
				COMPREPLY=("${COMPREPLY[@]/#/$knob=}")
			fi
		else
			compopt -o nospace 2>/dev/null
			COMPREPLY=($(compgen -S = -W "$(_tcptune_names "$tool" knobs "$netns" | cut -d' ' -f1)" -- "$cur"))
			[ ${#COMPREPLY[@]} = 0 ] && COMPREPLY=($(compgen -W "-f --force" -- "$cur"))
		fi ;;
	plot)
		COMPREPLY=($(compgen -W "-o --output --png --log --title $filters" -- "$cur"))
		COMPREPLY+=($(compgen -f -X '!*.csv' -- "$cur")) ;;
	help)
		COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
	summary)
		COMPREPLY=($(compgen -W "-a --all -4 --ipv4 -6 --ipv6 $filters $opts" -- "$cur")) ;;
	metrics)
		COMPREPLY=($(compgen -W "-a --all -o --output $opts" -- "$cur")) ;;
	esac
}
complete -F _tcptune tcptune
