#!/usr/bin/env bash
# Values on stdin: MODULES_CONF, SYSCTL_CONF (file texts), RUNTIME (yes = also act on the
# running kernel; no inside a container, where swap, modules and bridge sysctls are the host's);
# MODULES_PATH, SYSCTL_PATH, FSTAB_PATH (see lib.sh).
set -euo pipefail

write_file "$MODULES_PATH" "$MODULES_CONF"
write_file "$SYSCTL_PATH" "$SYSCTL_CONF"
fstab=$FSTAB_PATH

# Swap stays off across reboots: comment out active swap entries, keep the line for reference.
if grep -Eq '^[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' "$fstab"; then
	cp -p "$fstab" "$fstab.codex-k8s-install.bak"
	sed -E 's/^([^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]].*)$/# disabled by codex-k8s-install: \1/' \
		"$fstab" > "$fstab.tmp"
	chmod --reference="$fstab" "$fstab.tmp"
	mv -f "$fstab.tmp" "$fstab"
	echo "swap entries in $fstab commented out"
fi

if [[ "${RUNTIME:-yes}" == yes ]]; then
	if [[ -n "$(tail -n +2 /proc/swaps)" ]]; then
		swapoff -a
		echo "swap turned off"
	fi
	for module in overlay br_netfilter; do
		if [[ ! -d /sys/module/$module ]]; then
			modprobe "$module"
			echo "loaded $module"
		fi
	done
	sysctl -q -p "$SYSCTL_PATH"
else
	# Only the network-namespaced key can be set from inside a container.
	sysctl -q -w net.ipv4.ip_forward=1
	echo "skipped in container: swap, kernel modules, bridge netfilter sysctls"
fi
