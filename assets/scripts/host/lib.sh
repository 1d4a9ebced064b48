# shellcheck shell=bash
# Sent before every host script (runHostScript): helpers they share. Every host script also gets,
# as values on stdin, STATE_DIR and each managed path of steps/host/paths.ts as NAME_PATH
# (sshDropIn → SSH_DROP_IN_PATH): a path is spelled only there.

# write_file PATH CONTENT: writes CONTENT (plus a newline) atomically, mode 0644, when it differs;
# sets wrote=yes when it did. (Never returns non-zero on purpose: a caller's `|| true` would turn
# off errexit inside the function.)
# shellcheck disable=SC2034 # wrote is read by the script that called write_file
write_file() {
	local path=$1 content=$2
	wrote=no
	if [[ ! -f "$path" ]] || [[ "$(cat "$path")" != "$content" ]]; then
		mkdir -p "$(dirname "$path")"
		printf '%s\n' "$content" > "$path.tmp"
		chmod 0644 "$path.tmp"
		mv -f "$path.tmp" "$path"
		echo "wrote $path"
		wrote=yes
	fi
}

# A dead man's switch for changes that could shut the installer out. arm_undo NAME SECONDS runs
# the shell text on stdin as root after SECONDS unless disarm_undo NAME comes first: if the
# installer loses its connection before it proved a new login (and so cannot roll back), the host
# undoes the change by itself.
arm_undo() {
	local name=$1 seconds=$2 script=$STATE_DIR/$1-undo.sh
	install -d -m 0700 "$STATE_DIR"
	{
		echo 'set -u'
		cat
		printf "rm -f '%s'\n" "$script"
	} > "$script.tmp"
	mv -f "$script.tmp" "$script"
	systemd-run --quiet --unit="codex-k8s-install-$name-undo" \
		--on-active="$seconds" /bin/bash "$script"
	echo "armed: without a proven login this is undone in $seconds s"
}

disarm_undo() {
	local name=$1
	systemctl stop "codex-k8s-install-$name-undo.timer" 2> /dev/null || true
	systemctl reset-failed "codex-k8s-install-$name-undo.service" 2> /dev/null || true
	rm -f "$STATE_DIR/$name-undo.sh"
}
