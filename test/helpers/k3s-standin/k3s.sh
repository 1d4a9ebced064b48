#!/bin/bash
# Stand-in for the k3s binary of the release VERSION (replaced by the test): `k3s --version`
# answers as k3s does, and `k3s server`, run by the k3s.service the install script wrote, serves
# the test cluster's API (kcluster, placed on the guest by the test) on 127.0.0.1:6443, writes
# k3s.yaml once the API is ready and then tells systemd it is ready (Type=notify, as k3s does).
version='VERSION'
case "${1:-}" in
--version | -v)
	echo "k3s version $version (stand-in)"
	echo "go version go1.26"
	exit 0
	;;
server) ;;
*)
	echo "stand-in k3s: only server and --version" >&2
	exit 2
	;;
esac

kubeconfig=/etc/rancher/k3s/k3s.yaml
mkdir -p /etc/rancher/k3s
rm -f "$kubeconfig"
/usr/local/lib/kcluster/kcluster server --data-dir /var/lib/rancher/k3s \
	--write-kubeconfig "$kubeconfig" --https-listen-port 6443 &
child=$!
# k3s.service stops only this process (KillMode=process): the API server goes with it.
trap 'kill -TERM "$child" 2> /dev/null; wait "$child"; exit 0' TERM INT
while [[ ! -s "$kubeconfig" ]]; do
	if ! kill -0 "$child" 2> /dev/null; then
		wait "$child"
		exit 1
	fi
	sleep 0.2
done
chmod 0600 "$kubeconfig"
# Sent as this shell (the unit's main process): systemd-notify speaks for its parent.
systemd-notify --ready
wait "$child"
