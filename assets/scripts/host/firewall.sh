#!/usr/bin/env bash
# Values on stdin: ACTION (apply | rollback), RULES (nft file text), UNIT (systemd unit text).
set -euo pipefail

rules=/etc/codex-k8s-install/firewall.nft
unit=/etc/systemd/system/codex-k8s-install-firewall.service
table=codex_k8s_install

write_file() {
	local path=$1 content=$2
	if [[ ! -f "$path" ]] || [[ "$(cat "$path")" != "$content" ]]; then
		mkdir -p "$(dirname "$path")"
		printf '%s\n' "$content" > "$path.tmp"
		chmod 0644 "$path.tmp"
		mv -f "$path.tmp" "$path"
		echo "wrote $path"
		return 0
	fi
	return 1
}

case "$ACTION" in
apply)
	candidate=$(mktemp)
	trap 'rm -f "$candidate"' EXIT
	printf '%s\n' "$RULES" > "$candidate"
	nft -c -f "$candidate"
	write_file "$rules" "$RULES" || true
	if write_file "$unit" "$UNIT"; then
		systemctl daemon-reload
	fi
	systemctl enable codex-k8s-install-firewall.service 2> /dev/null
	# One transaction that replaces only our table; other tables are left alone.
	nft -f "$rules"
	systemctl start codex-k8s-install-firewall.service
	echo "table inet $table loaded"
	;;
rollback)
	systemctl disable codex-k8s-install-firewall.service 2> /dev/null || true
	nft delete table inet "$table" 2> /dev/null || true
	rm -f "$rules"
	echo "table inet $table removed"
	;;
*)
	echo "unknown ACTION $ACTION" >&2
	exit 2
	;;
esac
