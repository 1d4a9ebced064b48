#!/usr/bin/env bash
# Values on stdin: JAIL (jail.d file text); FAIL2BAN_JAIL_PATH (see lib.sh).
set -euo pipefail

write_file "$FAIL2BAN_JAIL_PATH" "$JAIL"
# Test the whole configuration before the running daemon sees it.
fail2ban-client --test > /dev/null
# The package installed the unit: no daemon-reload needed (an implicit one costs a quarter of a second).
systemctl enable --no-reload fail2ban.service 2> /dev/null
systemctl restart fail2ban.service
# Each fail2ban-client start costs a Python start-up: ask it only once the server's socket is there.
for _ in $(seq 1 100); do
	[[ -S /run/fail2ban/fail2ban.sock ]] && break
	sleep 0.05
done
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
