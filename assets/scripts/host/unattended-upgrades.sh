#!/usr/bin/env bash
# Values on stdin: CONF (apt.conf.d file text); UPGRADES_PATH (see lib.sh).
set -euo pipefail

write_file "$UPGRADES_PATH" "$CONF"
# --no-reload: the timers are loaded already; the implicit daemon-reload of `enable` costs a quarter
# of a second and changes nothing the start below needs.
systemctl enable --no-reload apt-daily.timer apt-daily-upgrade.timer 2> /dev/null
systemctl start apt-daily.timer apt-daily-upgrade.timer
