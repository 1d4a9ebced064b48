#!/usr/bin/env bash
# k3s's registries.yaml: the loopback registry mirror. Values on stdin: REGISTRIES_TEXT;
# REGISTRIES_PATH. k3s is restarted only when the file changed and k3s runs.
set -euo pipefail
wrote=no # set by write_file (host/lib.sh, sent first)

write_file "$REGISTRIES_PATH" "$REGISTRIES_TEXT"
if [[ "$wrote" == yes ]] && systemctl is-active --quiet k3s.service; then
	systemctl restart k3s.service
	echo "k3s restarted: registries.yaml changed"
fi
