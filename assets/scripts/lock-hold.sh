#!/usr/bin/env bash
# Holds the installer's host lock for as long as the SSH connection that started it lives.
# Values: LOCK_JSON (this run's owner record), TAKEOVER ('' | '*' | the exact stale record),
# BREAK_OWN ('' | the exact record of this computer's own dead run, whose holder may live on in a
# session sshd has not yet noticed is gone: that holder is ended first).
# Prints "HELD <record>" (exit 75) or "STALE <record>" (exit 76), or "LOCKED <pid>" then waits
# (after "TOOK <record>" when it took over a stale lock).
# The line "release" on stdin (sent by the installer at its end, on the same channel) or SIGTERM
# (a takeover of this computer's own dead run) clears the record: a clean release. Any other end
# leaves it behind, so the next run can tell that a previous run did not finish.
set -euo pipefail

dir=/var/lib/codex-k8s-install
lock=$dir/lock
install -d -m 0700 "$dir"
# Opened read-write without truncating: the record of a live or dead holder must survive.
exec 9<>"$lock"

if ! flock -n 9; then
	current=$(head -n 1 "$lock")
	if [ -z "${BREAK_OWN:-}" ] || [ "$current" != "$BREAK_OWN" ]; then
		printf 'HELD %s\n' "$current"
		exit 75
	fi
	for fd in /proc/[0-9]*/fd/*; do
		if [ "$(readlink "$fd" 2>/dev/null)" = "$lock" ]; then
			holder=${fd#/proc/}
			holder=${holder%%/*}
			[ "$holder" = "$$" ] || kill "$holder" 2>/dev/null || true
		fi
	done
	if ! flock -w 10 9; then
		printf 'HELD %s\n' "$current"
		exit 75
	fi
fi

previous=$(head -n 1 "$lock")
if [ -n "$previous" ] && [ "${TAKEOVER:-}" != '*' ] && [ "${TAKEOVER:-}" != "$previous" ]; then
	printf 'STALE %s\n' "$previous"
	exit 76
fi

if [ -n "$previous" ]; then
	printf 'TOOK %s\n' "$previous"
fi

# Truncating keeps the inode, so a process that opened the file earlier locks the same one.
printf '%s\n' "$LOCK_JSON" >"$lock"
trap ': >"$lock"; exit 0' TERM

# Without a terminal nothing signals us when the connection drops, so watch the sshd process
# that serves it: when it is gone, exiting closes fd 9 and the kernel releases the flock.
watched=$PPID
pid=$$
while [ "$pid" -gt 1 ]; do
	comm=$(cat "/proc/$pid/comm" 2>/dev/null) || break
	case "$comm" in sshd*)
		watched=$pid
		break
		;;
	esac
	parent=''
	while read -r key value; do
		if [ "$key" = 'PPid:' ]; then
			parent=$value
			break
		fi
	done <"/proc/$pid/status"
	[ -n "$parent" ] || break
	pid=$parent
done

printf 'LOCKED %s\n' "$$"
while [ -d "/proc/$watched" ]; do
	# The rest of stdin, after this script's text, is the installer talking to the holder.
	if IFS= read -r -t 1 word; then
		if [ "$word" = release ]; then
			: >"$lock"
			exit 0
		fi
	elif [ $? -le 128 ]; then
		# End of stdin without "release": the installer is gone; the record stays.
		exit 0
	fi
done
