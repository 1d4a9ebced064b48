#!/usr/bin/env bash
# Values on stdin: PROXY_CONF (apt proxy drop-in text, empty = none), PACKAGES (space separated);
# APT_PROXY_PATH (see lib.sh).
set -euo pipefail

proxy_file=$APT_PROXY_PATH
if [[ -n "${PROXY_CONF:-}" ]]; then
	write_file "$proxy_file" "$PROXY_CONF"
elif [[ -f "$proxy_file" ]]; then
	rm -f "$proxy_file"
	echo "apt proxy drop-in removed"
fi

read -r -a wanted <<< "${PACKAGES:-}"
missing=()
if [[ ${#wanted[@]} -gt 0 ]]; then
	# Never install what is there: the check may be stale if someone else installed it meanwhile.
	# One dpkg-query for all of them (one per package cost 70 ms on a busy host).
	installed=" $(dpkg-query -W -f='${Package}=${db:Status-Status} ' "${wanted[@]}" 2> /dev/null || true)"
	for package in "${wanted[@]}"; do
		if [[ "$installed" != *" $package=installed "* ]]; then
			missing+=("$package")
		fi
	done
fi
if [[ ${#missing[@]} -eq 0 ]]; then
	exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt_options=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
attempt=1
until apt-get -q "${apt_options[@]}" update < /dev/null; do
	if [[ $attempt -ge 3 ]]; then
		echo "apt-get update failed $attempt times" >&2
		exit 1
	fi
	attempt=$((attempt + 1))
	sleep 5
done
echo "installing ${missing[*]}"
apt-get -q -y "${apt_options[@]}" \
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
	install --no-install-recommends "${missing[@]}" < /dev/null
