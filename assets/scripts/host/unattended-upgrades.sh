#!/usr/bin/env bash
# Values on stdin: CONF (apt.conf.d file text); UPGRADES_PATH (see lib.sh).
set -euo pipefail

write_file "$UPGRADES_PATH" "$CONF"
systemctl enable apt-daily.timer apt-daily-upgrade.timer 2> /dev/null
systemctl start apt-daily.timer apt-daily-upgrade.timer
