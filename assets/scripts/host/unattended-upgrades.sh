#!/usr/bin/env bash
# Values on stdin: CONF (apt.conf.d file text).
set -euo pipefail

conf=/etc/apt/apt.conf.d/99codex-k8s-install-upgrades
if [[ ! -f "$conf" ]] || [[ "$(cat "$conf")" != "$CONF" ]]; then
	printf '%s\n' "$CONF" > "$conf.tmp"
	chmod 0644 "$conf.tmp"
	mv -f "$conf.tmp" "$conf"
	echo "wrote $conf"
fi
systemctl enable apt-daily.timer apt-daily-upgrade.timer 2> /dev/null
systemctl start apt-daily.timer apt-daily-upgrade.timer
