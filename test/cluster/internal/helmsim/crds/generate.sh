#!/usr/bin/env bash
# Regenerates helm.cattle.io's HelmChart and HelmChartConfig CRDs here with controller-gen, from
# the Go types of helm-controller at the version k3s v1.36 bundles. Run by hand after a version change.
set -euo pipefail
helm_controller=v0.17.7
controller_tools=v0.23.0
here="$(cd "$(dirname "$0")" && pwd)"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/codex-k8s-install-test/go"
export GOMODCACHE="$cache/mod" GOCACHE="$cache/build" GOFLAGS=-mod=mod CGO_ENABLED=0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
go mod init crdgen >/dev/null 2>&1
go get "github.com/k3s-io/helm-controller@$helm_controller" "sigs.k8s.io/controller-tools/cmd/controller-gen@$controller_tools" >/dev/null 2>&1
rm -f "$here"/*.yaml
nice -n 10 go run sigs.k8s.io/controller-tools/cmd/controller-gen crd \
	paths=github.com/k3s-io/helm-controller/pkg/apis/helm.cattle.io/v1 output:crd:dir="$here"
ls "$here"/*.yaml
