#!/usr/bin/env bash
# Removes k3s with the uninstall script k3s's installer wrote (it stops k3s, its pods and
# containers, removes its files, data and network interfaces). Values on stdin: SCRIPT_PATH.
set -euo pipefail

if [[ -x "$SCRIPT_PATH" ]]; then
	"$SCRIPT_PATH"
	echo "k3s removed"
else
	echo "no $SCRIPT_PATH: k3s is not installed"
fi
