#!/usr/bin/env bash
# Takes back what one host step made (uninstall). Values on stdin: WHAT (apt-proxy | firewall |
# system-settings | operator | ssh-hardening | fail2ban | upgrades), USER_NAME (operator), and the
# managed paths of lib.sh (*_PATH). Idempotent: what is already gone is skipped.
set -euo pipefail

gone() {
	rm -f -- "$@"
}

case "$WHAT" in
apt-proxy)
	gone "$APT_PROXY_PATH"
	;;
firewall)
	disarm_undo firewall
	systemctl disable --now codex-k8s-install-firewall.service 2> /dev/null || true
	nft delete table inet codex_k8s_install 2> /dev/null || true
	gone "$FIREWALL_UNIT_PATH" "$FIREWALL_RULES_PATH" "$FIREWALL_PROVEN_PATH"
	systemctl daemon-reload
	echo "firewall table and unit removed"
	;;
system-settings)
	# The running kernel keeps its values until a reboot; swap lines stay commented in fstab.
	gone "$MODULES_PATH" "$SYSCTL_PATH"
	;;
operator)
	gone "$SUDOERS_PATH"
	if getent passwd "$USER_NAME" > /dev/null; then
		# Its sessions and logind's user manager (user@UID.service outlives the last logout for a
		# while): userdel refuses a user that still runs a process.
		loginctl terminate-user "$USER_NAME" 2> /dev/null || true
		systemctl stop "user@$(id -u "$USER_NAME").service" 2> /dev/null || true
		pkill -KILL -u "$USER_NAME" 2> /dev/null || true
		for _ in $(seq 100); do
			pgrep -u "$USER_NAME" > /dev/null || break
			sleep 0.1
		done
		userdel "$USER_NAME"
		echo "user $USER_NAME removed; its home directory is kept"
	fi
	;;
ssh-hardening)
	disarm_undo ssh
	gone "$SSH_DROP_IN_PATH" "$SSH_PROVEN_PATH"
	sshd -t
	systemctl reload ssh 2> /dev/null || systemctl reload sshd 2> /dev/null || true
	echo "sshd drop-in removed; sshd reloaded"
	;;
fail2ban)
	gone "$FAIL2BAN_JAIL_PATH"
	systemctl restart fail2ban 2> /dev/null || true
	;;
upgrades)
	gone "$UPGRADES_PATH"
	;;
*)
	echo "unknown WHAT $WHAT" >&2
	exit 2
	;;
esac
