#!/usr/bin/env bash
# Which processes hold the apt/dpkg locks, one line each: PATH<TAB>PID<TAB>PPID<TAB>COMM<TAB>ARGS.
# Read-only. fuser and lsof are missing on minimal images, so the open file links under
# /proc/*/fd are read instead (apt and dpkg keep the lock files open while they hold them).
set -euo pipefail

holders=$(
	find /proc/[0-9]*/fd -maxdepth 1 -type l \( \
		-lname /var/lib/dpkg/lock-frontend -o \
		-lname /var/lib/dpkg/lock -o \
		-lname /var/lib/apt/lists/lock -o \
		-lname /var/cache/apt/archives/lock \
		\) -printf '%h\t%l\n' 2>/dev/null || true
)

seen=' '
while IFS=$'\t' read -r fd_dir path; do
	[ -n "$fd_dir" ] || continue
	pid=${fd_dir#/proc/}
	pid=${pid%/fd}
	case "$seen" in *" $pid:$path "*) continue ;; esac
	seen="$seen$pid:$path "
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || continue
	args=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | cut -c1-160) || args=''
	ppid=''
	while read -r key value; do
		if [ "$key" = 'PPid:' ]; then
			ppid=$value
			break
		fi
	done <"/proc/$pid/status" 2>/dev/null || true
	printf '%s\t%s\t%s\t%s\t%s\n' "$path" "$pid" "$ppid" "$comm" "${args% }"
done <<<"$holders"
