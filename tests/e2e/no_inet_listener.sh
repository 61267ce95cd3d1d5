#!/bin/bash
# no_inet_listener.sh PID: exit 0 when process PID has no listening TCP
# socket and no UDP socket (IPv4 or IPv6), 1 when it has one (printed), 2
# when its file descriptors cannot be read. It matches the socket inodes in
# /proc/PID/fd against /proc/net/{tcp,tcp6,udp,udp6}, so unlike `ss -p` it
# cannot pass silently when process information is hidden from the caller.
pid=${1:?usage: no_inet_listener.sh PID}
[ -r "/proc/$pid/fd" ] && ls "/proc/$pid/fd" >/dev/null 2>&1 || {
	echo "cannot read /proc/$pid/fd" >&2
	exit 2
}
# inode -> "proto local-address" of TCP listeners (state 0A) and UDP sockets.
declare -A inet
for proto in tcp tcp6 udp udp6; do
	[ -r "/proc/net/$proto" ] || continue
	while read -r _ local _ state _ _ _ _ _ inode _; do
		case $proto in tcp*) [ "$state" = 0A ] || continue ;; esac
		inet[$inode]="$proto $local"
	done < <(tail -n +2 "/proc/net/$proto")
done
found=0
for fd in "/proc/$pid/fd"/*; do
	link=$(readlink "$fd" 2>/dev/null) || continue
	case $link in
	socket:\[*\])
		inode=${link#socket:[}
		inode=${inode%]}
		if [ -n "${inet[$inode]:-}" ]; then
			echo "fd ${fd##*/}: ${inet[$inode]}"
			found=1
		fi
		;;
	esac
done
exit "$found"
