#!/usr/bin/env bash
# Values on stdin: ACTION (apply | prove | rollback), DROP_IN (file text for apply; for rollback the
# previous text, empty = remove), HAD_PREVIOUS (yes/no, rollback), RELOAD (commands, one a line),
# MARKER (proof text for prove), PORTS (space separated, to wait for after a reload), UNDO_SECONDS
# (apply: when no proof came by then, the host undoes the change by itself); SSH_DROP_IN_PATH,
# SSH_PROVEN_PATH, STATE_DIR (see lib.sh).
set -euo pipefail

drop_in=$SSH_DROP_IN_PATH
state=$STATE_DIR
proven=$SSH_PROVEN_PATH
install -d -m 0700 "$state"

run_command() {
	echo "$1"
	local words
	read -r -a words <<< "$1"
	"${words[@]}"
}

reload_sshd() {
	each_reload_command run_command
	# sshd re-executes itself on reload; its listener is briefly gone.
	local port
	for port in ${PORTS:-}; do
		for _ in $(seq 1 50); do
			if timeout 1 bash -c "exec 3<>/dev/tcp/127.0.0.1/$port" 2> /dev/null; then
				break
			fi
			sleep 0.1
		done
	done
}

each_reload_command() {
	while IFS= read -r command; do
		[[ -z "$command" ]] && continue
		if [[ ! "$command" =~ ^systemctl\ (reload|restart|daemon-reload)(\ [a-z@.-]+)?$ ]]; then
			echo "refusing to run: $command" >&2
			exit 2
		fi
		"$@" "$command"
	done <<< "$RELOAD"
}

# The undo text for lib.sh's dead man's switch: the previous drop-in back, sshd reloaded.
undo_text() {
	local before=$state/sshd-drop-in.before
	if [[ $1 == yes ]]; then
		printf "mv -f '%s' '%s'\n" "$before" "$drop_in"
	else
		printf "rm -f '%s' '%s'\n" "$before" "$drop_in"
	fi
	printf "rm -f '%s'\n" "$proven"
	each_reload_command echo
}

disarm() {
	disarm_undo ssh
	rm -f "$state/sshd-drop-in.before"
}

validate() {
	# sshd -t needs the privilege separation directory, which socket activation creates late.
	install -d -m 0755 /run/sshd
	sshd -t
}

case "$ACTION" in
apply)
	disarm
	rm -f "$proven"
	backup=$(mktemp)
	had=no
	if [[ -f "$drop_in" ]]; then
		cp -p "$drop_in" "$backup"
		had=yes
	fi
	write_file "$drop_in" "$DROP_IN"
	if ! validate; then
		if [[ $had == yes ]]; then mv -f "$backup" "$drop_in"; else rm -f "$drop_in"; fi
		echo "sshd -t rejected the new drop-in; previous configuration restored" >&2
		exit 1
	fi
	if [[ $had == yes ]]; then
		mv -f "$backup" "$state/sshd-drop-in.before"
	else
		rm -f "$backup"
	fi
	echo "sshd -t passed"
	undo_text "$had" | arm_undo ssh "${UNDO_SECONDS:-120}"
	reload_sshd
	;;
prove)
	disarm
	printf '%s\n' "$MARKER" > "$proven"
	;;
rollback)
	disarm
	if [[ "$HAD_PREVIOUS" == yes ]]; then
		write_file "$drop_in" "$DROP_IN"
		echo "restored the previous $drop_in"
	else
		rm -f "$drop_in"
		echo "removed $drop_in"
	fi
	rm -f "$proven"
	validate
	reload_sshd
	;;
*)
	echo "unknown ACTION $ACTION" >&2
	exit 2
	;;
esac
