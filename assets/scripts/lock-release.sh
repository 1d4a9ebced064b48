#!/usr/bin/env bash
# Ends the lock holder HOLDER_PID cleanly (it clears its record), if it still holds the lock.
set -euo pipefail

if [ "$(readlink "/proc/$HOLDER_PID/fd/9" 2>/dev/null || true)" = /var/lib/codex-k8s-install/lock ]; then
	kill -TERM "$HOLDER_PID"
	echo released
else
	echo gone
fi
