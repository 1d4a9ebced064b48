#!/usr/bin/env bash
# Values on stdin: MODULES_CONF, SYSCTL_CONF (file texts), RUNTIME (yes = also act on the
# running kernel; no inside a container, where swap, modules and bridge sysctls are the host's).
set -euo pipefail

write_file /etc/modules-load.d/codex-k8s-install.conf "$MODULES_CONF"
write_file /etc/sysctl.d/90-codex-k8s-install.conf "$SYSCTL_CONF"

# Swap stays off across reboots: comment out active swap entries, keep the line for reference.
if grep -Eq '^[^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]]' /etc/fstab; then
	cp -p /etc/fstab /etc/fstab.codex-k8s-install.bak
	sed -E 's/^([^#[:space:]]+[[:space:]]+[^[:space:]]+[[:space:]]+swap[[:space:]].*)$/# disabled by codex-k8s-install: \1/' \
		/etc/fstab > /etc/fstab.tmp
	chmod --reference=/etc/fstab /etc/fstab.tmp
	mv -f /etc/fstab.tmp /etc/fstab
	echo "swap entries in /etc/fstab commented out"
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
	sysctl -q -p /etc/sysctl.d/90-codex-k8s-install.conf
else
	# Only the network-namespaced key can be set from inside a container.
	sysctl -q -w net.ipv4.ip_forward=1
	echo "skipped in container: swap, kernel modules, bridge netfilter sysctls"
fi
