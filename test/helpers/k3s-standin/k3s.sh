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

# k3s deploys its bundled Traefik from its own manifests: a HelmChart that its helm-controller
# installs (a Job), making a Deployment. The test cluster has no Traefik chart, so this stands in
# for both, as test/steps/cluster/object-waits.ts does (where curl is installed: after the host
# phase). Objects already there are left alone.
bundled_traefik() {
	command -v curl > /dev/null || return 0
	local tls=/run/k3s-standin-tls field
	install -d -m 0700 "$tls"
	for field in certificate-authority-data client-certificate-data client-key-data; do
		sed -n "s/^ *$field: //p" "$kubeconfig" | base64 -d > "$tls/$field"
	done
	api() {
		curl -sS -o /dev/null --cacert "$tls/certificate-authority-data" \
			--cert "$tls/client-certificate-data" --key "$tls/client-key-data" \
			-X "$1" -H "Content-Type: $2" --data "$4" "https://127.0.0.1:6443$3"
	}
	local charts=/apis/helm.cattle.io/v1/namespaces/kube-system/helmcharts
	api POST application/json "$charts" \
		'{"apiVersion":"helm.cattle.io/v1","kind":"HelmChart","metadata":{"name":"traefik","namespace":"kube-system"},"spec":{"chart":"https://%{KUBERNETES_API}%/static/charts/traefik.tgz"}}'
	api POST application/json /apis/batch/v1/namespaces/kube-system/jobs \
		'{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"helm-install-traefik","namespace":"kube-system"},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"helm","image":"rancher/klipper-helm:stand-in"}]}}}}'
	api PATCH application/merge-patch+json "$charts/traefik/status" \
		'{"status":{"jobName":"helm-install-traefik"}}'
	api POST application/json /apis/apps/v1/namespaces/kube-system/deployments \
		'{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"traefik","namespace":"kube-system"},"spec":{"selector":{"matchLabels":{"app":"traefik"}},"template":{"metadata":{"labels":{"app":"traefik"}},"spec":{"containers":[{"name":"traefik","image":"rancher/mirrored-library-traefik:stand-in"}]}}}}'
	# helm-controller installs again when the chart's HelmChartConfig changes: a new install Job
	# (the installer waits for the Job made after its values). Whatever came first — this Job or
	# the installer's HelmChartConfig — the Job of the current values comes after them. It ends
	# with the API server (k3s.service stops only the main process). The API server answers curl
	# with indented JSON ("resourceVersion": "1").
	local jobs=/apis/batch/v1/namespaces/kube-system/jobs seen='' version code
	while kill -0 "$child" 2> /dev/null; do
		sleep 1
		version=$(curl -sS --cacert "$tls/certificate-authority-data" \
			--cert "$tls/client-certificate-data" --key "$tls/client-key-data" \
			"https://127.0.0.1:6443/apis/helm.cattle.io/v1/namespaces/kube-system/helmchartconfigs/traefik" |
			sed -n 's/.*"resourceVersion": *"\([0-9]*\)".*/\1/p' | head -n 1)
		[[ -n $version && $version != "$seen" ]] || continue
		api DELETE application/json "$jobs/helm-install-traefik?propagationPolicy=Background" '{}'
		code=$(curl -sS -o /dev/null -w '%{http_code}' --cacert "$tls/certificate-authority-data" \
			--cert "$tls/client-certificate-data" --key "$tls/client-key-data" \
			-X POST -H 'Content-Type: application/json' --data \
			'{"apiVersion":"batch/v1","kind":"Job","metadata":{"name":"helm-install-traefik","namespace":"kube-system"},"spec":{"backoffLimit":1,"template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"helm","image":"rancher/klipper-helm:stand-in"}]}}}}' \
			"https://127.0.0.1:6443$jobs")
		[[ $code == 201 ]] && seen=$version
	done
}
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
bundled_traefik &
wait "$child"
