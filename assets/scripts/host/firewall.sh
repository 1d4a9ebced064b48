#!/usr/bin/env bash
# Values on stdin: ACTION (apply | prove | rollback), RULES (nft file text), UNIT (systemd unit
# text), UNDO_SECONDS (apply: when no proof came by then, the host removes the table by itself),
# MARKER (proof text for prove); FIREWALL_RULES_PATH, FIREWALL_UNIT_PATH, FIREWALL_PROVEN_PATH
# (see lib.sh).
set -euo pipefail
wrote=no # set by write_file (host/lib.sh, sent first)

rules=$FIREWALL_RULES_PATH
unit=$FIREWALL_UNIT_PATH
table=codex_k8s_install
proven=$FIREWALL_PROVEN_PATH

remove_table() {
	systemctl disable codex-k8s-install-firewall.service 2> /dev/null || true
	nft delete table inet "$table" 2> /dev/null || true
	rm -f "$rules" "$proven"
}

case "$ACTION" in
apply)
	disarm_undo firewall
	rm -f "$proven"
	candidate=$(mktemp)
	trap 'rm -f "$candidate"' EXIT
	printf '%s\n' "$RULES" > "$candidate"
	nft -c -f "$candidate"
	write_file "$rules" "$RULES"
	write_file "$unit" "$UNIT"
	if [[ $wrote == yes ]]; then
		systemctl daemon-reload
	fi
	# The reload above (or boot) loaded the unit: enable's own implicit reload would only cost time.
	systemctl enable --no-reload codex-k8s-install-firewall.service 2> /dev/null
	printf '%s\n' \
		'systemctl disable codex-k8s-install-firewall.service 2> /dev/null || true' \
		"nft delete table inet $table 2> /dev/null || true" \
		"rm -f '$rules' '$proven'" | arm_undo firewall "${UNDO_SECONDS:-120}"
	# One transaction that replaces only our table; other tables are left alone.
	nft -f "$rules"
	systemctl start codex-k8s-install-firewall.service
	echo "table inet $table loaded"
	;;
prove)
	disarm_undo firewall
	install -d -m 0700 "$(dirname "$proven")"
	printf '%s\n' "$MARKER" > "$proven"
	;;
rollback)
	disarm_undo firewall
	remove_table
	echo "table inet $table removed"
	;;
*)
	echo "unknown ACTION $ACTION" >&2
	exit 2
	;;
esac
