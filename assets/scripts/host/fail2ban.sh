#!/usr/bin/env bash
# Values on stdin: JAIL (jail.d file text).
set -euo pipefail

jail=/etc/fail2ban/jail.d/codex-k8s-install.local
if [[ ! -f "$jail" ]] || [[ "$(cat "$jail")" != "$JAIL" ]]; then
	printf '%s\n' "$JAIL" > "$jail.tmp"
	chmod 0644 "$jail.tmp"
	mv -f "$jail.tmp" "$jail"
	echo "wrote $jail"
fi
# Test the whole configuration before the running daemon sees it.
fail2ban-client --test > /dev/null
systemctl enable fail2ban.service 2> /dev/null
systemctl restart fail2ban.service
for _ in $(seq 1 50); do
	if fail2ban-client status sshd > /dev/null 2>&1; then
		echo "fail2ban sshd jail active"
		exit 0
	fi
	sleep 0.2
done
echo "fail2ban did not bring up the sshd jail" >&2
journalctl -u fail2ban.service -n 20 --no-pager >&2 || true
exit 1
