#!/usr/bin/env bash
# Installs k3s at the pinned version, or only rewrites its config. Values on stdin:
# CONFIG_TEXT (config.yaml), INSTALL (yes: run the install script), SOURCE (air-gap: the files
# were uploaded to STAGING_PATH; online: the script is downloaded from SCRIPT_URL), K3S_VERSION,
# SCRIPT_SHA256, BINARY_SHA256 and BINARY_NAME, IMAGES_SHA256 and IMAGES_NAME (air-gap, images
# optional), HTTP_PROXY_URL, HTTPS_PROXY_URL, NO_PROXY_LIST; the paths of steps/cluster/paths.ts
# (CONFIG_PATH, BINARY_PATH, IMAGES_PATH, STAGING_PATH …). Every file is checked against its
# SHA-256 before anything is installed or run.
set -euo pipefail

refuse() {
	echo "$1: SHA-256 $2, expected $3: refused, nothing was installed" >&2
	exit 3
}

verify() {
	local label=$1 path=$2 expected=$3 actual
	actual=$(sha256sum "$path" | cut -d' ' -f1)
	[[ "$actual" == "$expected" ]] || refuse "$label" "$actual" "$expected"
}

proxies=()
[[ -n "${HTTP_PROXY_URL:-}" ]] && proxies+=("HTTP_PROXY=$HTTP_PROXY_URL" "http_proxy=$HTTP_PROXY_URL")
[[ -n "${HTTPS_PROXY_URL:-}" ]] && proxies+=("HTTPS_PROXY=$HTTPS_PROXY_URL" "https_proxy=$HTTPS_PROXY_URL")
[[ -n "${NO_PROXY_LIST:-}" ]] && proxies+=("NO_PROXY=$NO_PROXY_LIST" "no_proxy=$NO_PROXY_LIST")

stage=$STAGING_PATH
wrote=no # set by write_file (host/lib.sh, sent first)
if [[ "$INSTALL" == yes ]]; then
	install -d -m 0700 "$stage"
	if [[ "$SOURCE" == air-gap ]]; then
		verify "the k3s install script" "$stage/install.sh" "$SCRIPT_SHA256"
		verify "the k3s binary" "$stage/$BINARY_NAME" "$BINARY_SHA256"
		if [[ -n "${IMAGES_NAME:-}" ]]; then
			verify "the k3s images tarball" "$stage/$IMAGES_NAME" "$IMAGES_SHA256"
		fi
	else
		echo "downloading $SCRIPT_URL"
		env "${proxies[@]}" curl -fsSL --retry 3 -o "$stage/install.sh" "$SCRIPT_URL"
		verify "the k3s install script from $SCRIPT_URL" "$stage/install.sh" "$SCRIPT_SHA256"
	fi
fi

before=$(systemctl show -p InvocationID --value k3s.service 2> /dev/null || true)
write_file "$CONFIG_PATH" "$CONFIG_TEXT"
config_changed=$wrote

if [[ "$INSTALL" == yes ]]; then
	settings=(INSTALL_K3S_VERSION="$K3S_VERSION" INSTALL_K3S_EXEC=server)
	if [[ "$SOURCE" == air-gap ]]; then
		if [[ -n "${IMAGES_NAME:-}" ]]; then
			mkdir -p "$IMAGES_PATH"
			install -m 0644 "$stage/$IMAGES_NAME" "$IMAGES_PATH/$IMAGES_NAME"
			echo "images placed in $IMAGES_PATH"
		fi
		install -m 0755 "$stage/$BINARY_NAME" "$BINARY_PATH.new"
		mv -f "$BINARY_PATH.new" "$BINARY_PATH"
		echo "k3s $K3S_VERSION placed at $BINARY_PATH"
		settings+=(INSTALL_K3S_SKIP_DOWNLOAD=true)
	fi
	# The script restarts k3s when its binary, unit or environment changed.
	env "${proxies[@]}" "${settings[@]}" sh "$stage/install.sh"
	rm -rf "$stage"
fi

after=$(systemctl show -p InvocationID --value k3s.service 2> /dev/null || true)
if [[ "$config_changed" == yes && "$before" == "$after" && -n "$before" ]]; then
	systemctl restart k3s.service
	echo "k3s restarted: its config changed"
elif ! systemctl is-active --quiet k3s.service; then
	systemctl start k3s.service
	echo "k3s started"
fi
