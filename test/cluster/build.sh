#!/usr/bin/env bash
# Builds the test cluster (kcluster: the Kubernetes control plane with a simulated node and
# helm-controller) or actionlint from their pinned Go modules, and prints the binary's path.
# Usage: build.sh kcluster|actionlint. Rebuilds only when the sources or pins change; the module
# and build caches live in ~/.cache/codex-k8s-install-test/go, so a machine builds once.
set -euo pipefail
target="${1:-}"
here="$(cd "$(dirname "$0")" && pwd)"
if ! command -v go >/dev/null 2>&1; then
	echo "test/cluster/build.sh: Go is not installed; the test cluster and actionlint are built from Go modules (Go >= 1.26 needed)." >&2
	exit 1
fi
cache="${XDG_CACHE_HOME:-$HOME/.cache}/codex-k8s-install-test"
export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" CGO_ENABLED=0 GOFLAGS="-trimpath -mod=readonly"
mkdir -p "$cache/bin"
# One build at a time per machine: test files start clusters in parallel.
exec 9>"$cache/build.lock"
flock 9

module_dir() {
	(cd "$here" && go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
}

copy_charts() {
	local target_dir="$here/internal/helmsim/charts" module path dir version
	find "$target_dir" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
	grep -v '^#' "$here/charts.txt" | while read -r module path; do
		[ -n "$module" ] || continue
		dir="$(module_dir "$module")"
		[ -d "$dir/$path" ] || { echo "build.sh: $module has no $path" >&2; exit 1; }
		cp -r "$dir/$path" "$target_dir/"
		chmod -R u+w "$target_dir/$(basename "$path")"
		# cert-manager's chart source leaves its version to the release tool.
		version="${module##*@}"
		sed -i "s/^version: v0.0.0$/version: $version/; s/^appVersion: v0.0.0$/appVersion: $version/" "$target_dir/$(basename "$path")/Chart.yaml"
	done
}

sources_key() {
	(cd "$1" && { go version; cat "$here/build.sh"; find . -path ./internal/helmsim/charts -prune -o -path ./tools -prune -o -type f \( -name '*.go' -o -name '*.yaml' -o -name 'go.mod' -o -name 'go.sum' -o -name 'charts.txt' \) -print | LC_ALL=C sort | xargs cat; } | sha256sum | cut -c1-16)
}

case "$target" in
kcluster)
	binary="$cache/bin/kcluster-$(sources_key "$here")"
	if [ ! -x "$binary" ]; then
		copy_charts
		# The API server reports the pinned release as its version (Helm checks charts' kubeVersion).
		k8s="$(awk '$1 == "k8s.io/kubernetes" {print $2}' "$here/go.mod")"
		minor="${k8s#v1.}"
		minor="${minor%%.*}"
		ldflags="-s -w"
		for package in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
			ldflags="$ldflags -X $package.gitVersion=$k8s -X $package.gitMajor=1 -X $package.gitMinor=$minor -X $package.gitTreeState=clean"
		done
		(cd "$here" && nice -n 10 go build -ldflags="$ldflags" -o "$binary.tmp" .)
		mv "$binary.tmp" "$binary"
	fi
	# Worktrees of different sources share the cache: the three most recently used builds stay
	# (one a test is about to start is never the one removed), older ones go.
	touch "$binary"
	ls -1t "$cache/bin"/kcluster-* | tail -n +4 | xargs -r rm -f
	;;
actionlint)
	binary="$cache/bin/actionlint-$(sources_key "$here/tools")"
	if [ ! -x "$binary" ]; then
		(cd "$here/tools" && nice -n 10 go build -ldflags="-s -w" -o "$binary.tmp" github.com/rhysd/actionlint/cmd/actionlint)
		mv "$binary.tmp" "$binary"
		find "$cache/bin" -name 'actionlint-*' ! -path "$binary" -delete
	fi
	;;
*)
	echo "usage: test/cluster/build.sh kcluster|actionlint" >&2
	exit 2
	;;
esac
echo "$binary"
