import type {Input} from '../../source/config/schema.js';
import {
	systemdPath,
	systemdSetting,
	yamlString,
} from '../../source/encode/index.js';
import {clusterPaths} from './paths.js';

const header =
	'# Written by codex-k8s-install: replaced on every run, edit its inputs instead.';

const list = (key: string, items: readonly string[]) =>
	items.length === 0
		? []
		: [`${key}:`, ...items.map(item => `  - ${yamlString(item)}`)];

/**
 * /etc/rancher/k3s/config.yaml: k3s's flags, read at every start. ServiceLB publishes 80/443
 * only in server mode; local mode publishes nothing. The API's certificate names the domain in
 * server mode (operators may use kubectl against it through a tunnel of their own).
 */
export function k3sConfig(input: Input, nodeIp: string): string {
	const server = input.mode === 'server';
	return [
		header,
		`write-kubeconfig-mode: ${yamlString('0600')}`,
		`node-ip: ${yamlString(nodeIp)}`,
		...list('disable', server ? [] : ['servicelb']),
		...list('tls-san', server && input.domain ? [input.domain] : []),
		'',
	].join('\n');
}

/** The kubelet drop-in k3s passes on: image garbage collection thresholds (upstream step 25). */
export function kubeletDropIn(input: Input): string {
	const {imageGcHigh, imageGcLow} = input.cluster;
	if (
		!Number.isInteger(imageGcHigh) ||
		!Number.isInteger(imageGcLow) ||
		imageGcLow >= imageGcHigh
	) {
		// The schema refuses these first: reaching here is a bug.
		throw new Error(`image GC thresholds ${imageGcLow}/${imageGcHigh}`);
	}

	return [
		header,
		'apiVersion: kubelet.config.k8s.io/v1beta1',
		'kind: KubeletConfiguration',
		`imageGCHighThresholdPercent: ${imageGcHigh}`,
		`imageGCLowThresholdPercent: ${imageGcLow}`,
		'',
	].join('\n');
}

/** The registry on the node's loopback, plain HTTP: containerd pulls `127.0.0.1:5000/…` from it. */
export const registryHost = '127.0.0.1:5000';

export function registriesYaml(): string {
	return [
		header,
		'mirrors:',
		`  ${yamlString(registryHost)}:`,
		'    endpoint:',
		`      - ${yamlString(`http://${registryHost}`)}`,
		'',
	].join('\n');
}

/** The daily prune of images no container uses, with disk use logged before and after. */
export function pruneService(): string {
	const binary = systemdPath(clusterPaths.binary);
	const data = systemdPath('/var/lib/rancher/k3s');
	return [
		'[Unit]',
		'Description=Remove container images no container uses (codex-k8s-install)',
		'Requires=k3s.service',
		'After=k3s.service',
		'',
		'[Service]',
		'Type=oneshot',
		`ExecStartPre=/usr/bin/df -h ${data}`,
		`ExecStart=${binary} crictl --timeout 120s rmi --prune`,
		`ExecStartPost=/usr/bin/df -h ${data}`,
		'',
	].join('\n');
}

export function pruneTimer(input: Input): string {
	return [
		'[Unit]',
		'Description=Daily removal of unused container images (codex-k8s-install)',
		'',
		'[Timer]',
		`OnCalendar=${systemdSetting(input.cluster.imagePruneCalendar)}`,
		'Persistent=true',
		'',
		'[Install]',
		'WantedBy=timers.target',
		'',
	].join('\n');
}
