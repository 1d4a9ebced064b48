#!/usr/bin/env bash
# Values on stdin: USER_NAME, NEW_KEYS (public key lines to add), SUDOERS (sudoers.d file text);
# SUDOERS_PATH (see lib.sh).
set -euo pipefail

user=$USER_NAME
created=
if ! getent passwd "$user" > /dev/null; then
	# '*' = no password that could ever match, without locking the account for sshd.
	useradd --create-home --shell /bin/bash --user-group --password '*' "$user"
	echo "created user $user"
	created=1
fi
home=$(getent passwd "$user" | cut -d: -f6)
group=$(id -gn "$user")
# `uninstall --remove operator` keeps the home; a user made again under the same name may get
# another uid, and sshd refuses keys under a home its user does not own.
if [[ -n "$created" ]] && [[ "$(stat -c %U "$home")" != "$user" ]]; then
	chown -R "$user:$group" "$home"
	echo "took over $home, kept from an earlier $user"
fi

chmod 0750 "$home"
install -d -m 0700 -o "$user" -g "$group" "$home/.ssh"
keys=$home/.ssh/authorized_keys
if [[ ! -f "$keys" ]]; then
	install -m 0600 -o "$user" -g "$group" /dev/null "$keys"
fi
# A file without a final newline would glue the next key onto its last line.
if [[ -s "$keys" ]] && [[ -n "$(tail -c 1 "$keys")" ]]; then
	printf '\n' >> "$keys"
fi
while IFS= read -r line; do
	[[ -z "$line" ]] && continue
	blob=$(awk '{print $2}' <<< "$line")
	if ! grep -qF -- "$blob" "$keys"; then
		printf '%s\n' "$line" >> "$keys"
		echo "added key $(awk '{print $1, $3}' <<< "$line") for $user"
	fi
done <<< "$NEW_KEYS"
chown "$user:$group" "$keys"
chmod 0600 "$keys"

sudoers=$SUDOERS_PATH
if [[ ! -f "$sudoers" ]] || [[ "$(cat "$sudoers")" != "$SUDOERS" ]]; then
	candidate=$(mktemp "$(dirname "$sudoers")/.codex-k8s-install.XXXXXX")
	trap 'rm -f "$candidate"' EXIT
	printf '%s\n' "$SUDOERS" > "$candidate"
	chmod 0440 "$candidate"
	visudo -cqf "$candidate"
	mv -f "$candidate" "$sudoers"
	echo "sudo without password for $user ($sudoers)"
else
	chmod 0440 "$sudoers"
	chown root:root "$sudoers"
fi
