import {type KubeObject, waitForRollout} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {objectsStep} from '../kit-objects.js';
import {waitOptions} from './wait-options.js';

export const registry = {
	namespace: 'codex-k8s-registry',
	name: 'codex-k8s-registry',
	claim: 'codex-k8s-registry-data',
	/** Only the node itself reaches it: k3s's containerd (through registries.yaml) and build pods. */
	address: '127.0.0.1:5000',
	size: '20Gi',
	storageClass: 'local-path',
} as const;

const labels = {'app.kubernetes.io/name': registry.name};

const probe = {
	httpGet: {host: '127.0.0.1', port: 5000, path: '/v2/'},
	periodSeconds: 10,
};

/**
 * The registry on the node's loopback: host network, listening on 127.0.0.1 only, no Service
 * (nothing but the node can reach it, so it needs no credentials), its images on a local-path
 * volume. One replica, replaced with Recreate: two cannot hold the same host port and volume.
 */
export function registryObjects(): KubeObject[] {
	const {namespace, name, claim} = registry;
	return [
		{apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}},
		{
			apiVersion: 'v1',
			kind: 'PersistentVolumeClaim',
			metadata: {name: claim, namespace},
			spec: {
				accessModes: ['ReadWriteOnce'],
				storageClassName: registry.storageClass,
				resources: {requests: {storage: registry.size}},
			},
		},
		{
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name, namespace, labels},
			spec: {
				replicas: 1,
				strategy: {type: 'Recreate'},
				selector: {matchLabels: labels},
				template: {
					metadata: {labels},
					spec: {
						hostNetwork: true,
						dnsPolicy: 'ClusterFirstWithHostNet',
						containers: [
							{
								name: 'registry',
								image: pins.registryImage,
								env: [
									{name: 'REGISTRY_HTTP_ADDR', value: registry.address},
									{name: 'REGISTRY_STORAGE_DELETE_ENABLED', value: 'true'},
								],
								volumeMounts: [{name: 'data', mountPath: '/var/lib/registry'}],
								readinessProbe: probe,
								livenessProbe: {...probe, failureThreshold: 6},
							},
						],
						volumes: [
							{name: 'data', persistentVolumeClaim: {claimName: claim}},
						],
					},
				},
			},
		},
	];
}

export const registryStep = objectsStep({
	id: 'cluster.registry',
	phase: 'cluster',
	title: 'Image registry on the node',
	inputs: () => ({image: pins.registryImage}),
	runbook: () => ({
		check: [
			`kubectl -n ${registry.namespace} get deploy ${registry.name}; curl -s http://${registry.address}/v2/_catalog   (on the host)`,
		],
		fix: ['codex-k8s-install install --only cluster'],
	}),
	describe: () => [
		`Deployment ${registry.namespace}/${registry.name}: ${pins.registryImage} on the node's ${registry.address} only (host network, no Service)`,
		`images kept on PersistentVolumeClaim ${registry.claim} (${registry.size}, ${registry.storageClass})`,
	],
	objects: () => registryObjects(),
	async ready(kube, context) {
		await waitForRollout(
			kube,
			{kind: 'Deployment', namespace: registry.namespace, name: registry.name},
			waitOptions(context),
		);
	},
});
