#!/usr/bin/env bash
# Kubelet image GC drop-in and the prune timer. Values on stdin: DROP_IN_TEXT, SERVICE_TEXT,
# TIMER_TEXT (file texts), PRUNE (yes/no), TIMER_UNIT; KUBELET_DROP_IN_PATH, PRUNE_SERVICE_PATH,
# PRUNE_TIMER_PATH. k3s is restarted only when the drop-in changed and k3s runs.
set -euo pipefail
wrote=no # set by write_file (host/lib.sh, sent first)

write_file "$KUBELET_DROP_IN_PATH" "$DROP_IN_TEXT"
drop_in_changed=$wrote

if [[ "$PRUNE" == yes ]]; then
	write_file "$PRUNE_SERVICE_PATH" "$SERVICE_TEXT"
	units_changed=$wrote
	write_file "$PRUNE_TIMER_PATH" "$TIMER_TEXT"
	if [[ "$units_changed" == yes || "$wrote" == yes ]]; then
		systemctl daemon-reload
	fi
	systemctl enable --now "$TIMER_UNIT"
else
	systemctl disable --now "$TIMER_UNIT" 2> /dev/null || true
	if [[ -e "$PRUNE_SERVICE_PATH" || -e "$PRUNE_TIMER_PATH" ]]; then
		rm -f "$PRUNE_SERVICE_PATH" "$PRUNE_TIMER_PATH"
		systemctl daemon-reload
		echo "prune timer removed"
	fi
fi

if [[ "$drop_in_changed" == yes ]] && systemctl is-active --quiet k3s.service; then
	systemctl restart k3s.service
	echo "k3s restarted: the kubelet drop-in changed"
fi
