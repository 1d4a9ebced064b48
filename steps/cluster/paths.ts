/**
 * Files the cluster phase owns on the host, read by the phase probe. Each is spelled only here:
 * the scripts get theirs as values (`config` → CONFIG_PATH).
 */
export const clusterPaths = {
	binary: '/usr/local/bin/k3s',
	unit: '/etc/systemd/system/k3s.service',
	// Its flags are read from here by k3s: nothing of ours goes on its command line.
	config: '/etc/rancher/k3s/config.yaml',
	registries: '/etc/rancher/k3s/registries.yaml',
	// Written by k3s itself (the admin credential the installer reads over SSH).
	kubeconfig: '/etc/rancher/k3s/k3s.yaml',
	// Tarballs here are loaded by k3s at start: the air-gap images.
	images: '/var/lib/rancher/k3s/agent/images',
	kubeletDropIn:
		'/var/lib/rancher/k3s/agent/etc/kubelet.conf.d/10-codex-k8s-image-gc.conf',
	pruneService: '/etc/systemd/system/codex-k8s-image-prune.service',
	pruneTimer: '/etc/systemd/system/codex-k8s-image-prune.timer',
	// Uploads wait here (root only) until they are verified.
	staging: '/var/lib/codex-k8s-install/k3s-upload',
} as const;

/** The files whose text the probe reads (none holds a secret). */
export const readFiles: readonly string[] = [
	clusterPaths.config,
	clusterPaths.registries,
	clusterPaths.kubeletDropIn,
	clusterPaths.pruneService,
	clusterPaths.pruneTimer,
];

/** `config` → CONFIG_PATH: every managed path as a script value. */
export const pathValues: Record<string, string> = Object.fromEntries(
	Object.entries(clusterPaths).map(([key, path]) => [
		`${key.replaceAll(/[A-Z]/g, letter => `_${letter}`).toUpperCase()}_PATH`,
		path,
	]),
);
