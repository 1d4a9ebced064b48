#!/usr/bin/env bash
# Copies k3s's admin kubeconfig (KUBECONFIG_PATH) to the operator's ~/.kube/config: directory
# 700, file 600, both owned by the operator. Values on stdin: OPERATOR (schema-validated user).
set -euo pipefail

home=$(getent passwd "$OPERATOR" | cut -d: -f6)
if [[ -z "$home" ]]; then
	echo "no user $OPERATOR on this host" >&2
	exit 1
fi
if [[ ! -s "$KUBECONFIG_PATH" ]]; then
	echo "k3s has not written $KUBECONFIG_PATH" >&2
	exit 1
fi

group=$(id -gn "$OPERATOR")
install -d -m 0700 -o "$OPERATOR" -g "$group" "$home/.kube"
chmod 0700 "$home/.kube"
chown "$OPERATOR:$group" "$home/.kube"
# The copy is made beside its place, private from the start, then renamed over the old one.
tmp=$(mktemp "$home/.kube/.config.XXXXXX")
trap 'rm -f "$tmp"' EXIT
cat "$KUBECONFIG_PATH" > "$tmp"
chmod 0600 "$tmp"
chown "$OPERATOR:$group" "$tmp"
mv -f "$tmp" "$home/.kube/config"
trap - EXIT
echo "wrote $home/.kube/config"
