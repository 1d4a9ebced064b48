import type {Input} from '../../source/config/schema.js';
import {UserError} from '../../source/errors.js';
import {
	fieldManager,
	type Kube,
	type KubeObject,
} from '../../source/kube/index.js';
import {objectsStep} from '../kit-objects.js';
import {certManagerNamespace} from './cert-manager.js';
import {k3sNamespace} from './wait-options.js';

/** The zone label later policies select namespaces by (upstream's `codexk8s.io/network-zone`). */
export const zoneLabel = 'codexk8s.io/network-zone';

/**
 * The pod labels this baseline selects; the platform phase labels its pods so. Platform pods are
 * `app.kubernetes.io/name: codex-k8s` with their component; PostgreSQL is `postgres`.
 */
export const platformPods = {
	app: {'app.kubernetes.io/name': 'codex-k8s'},
	postgres: {'app.kubernetes.io/name': 'postgres'},
	component: (name: string) => ({
		'app.kubernetes.io/name': 'codex-k8s',
		'app.kubernetes.io/component': name,
	}),
} as const;

/** The API: k3s serves it on the node's address, port 6443 (pods reach it there after the Service). */
export const apiPort = 6443;

type NodeList = {
	items: Array<{
		metadata: {name: string};
		status?: {addresses?: Array<{type: string; address: string}>};
	}>;
};

/** The nodes' InternalIP addresses, read from the API: where k3s serves it. */
export async function apiAddresses(
	kube: Kube,
	signal?: AbortSignal,
): Promise<string[]> {
	const nodes = await kube.read<NodeList>('/api/v1/nodes', signal);
	const addresses = (nodes?.items ?? []).flatMap(node =>
		(node.status?.addresses ?? [])
			.filter(address => address.type === 'InternalIP')
			.map(address => address.address),
	);
	if (addresses.length === 0) {
		throw new UserError(
			`No node of the cluster on ${kube.where} reports an InternalIP address`,
			{hint: 'The node must be registered first: run again once k3s is up.'},
		);
	}

	return [...new Set(addresses)].toSorted();
}

const cidrOf = (address: string) =>
	address.includes(':') ? `${address}/128` : `${address}/32`;

const tcp = (...ports: number[]) =>
	ports.map(port => ({protocol: 'TCP', port}));

/** The zone labels: the platform namespace, and the system namespaces that exist in this mode. */
function zoneNamespaces(input: Input): KubeObject[] {
	const system = [
		k3sNamespace,
		...(input.mode === 'server' ? [certManagerNamespace] : []),
	];
	const labelled = (name: string, zone: string): KubeObject => ({
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name, labels: {[zoneLabel]: zone}},
	});
	return [
		labelled(input.platform.namespace, 'platform'),
		...system.map(name => labelled(name, 'system')),
	];
}

/**
 * Upstream's platform baseline (its step 42): PostgreSQL takes connections from the platform's
 * pods only; the platform's pods reach out only to the API, PostgreSQL, the control plane, the web
 * console, cluster DNS and the web (80/443).
 */
export function networkPolicies(input: Input, api: string[]): KubeObject[] {
	const {namespace} = input.platform;
	const postgresIngress: KubeObject = {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'NetworkPolicy',
		metadata: {name: 'codex-k8s-postgres-ingress-from-platform', namespace},
		spec: {
			podSelector: {matchLabels: platformPods.postgres},
			policyTypes: ['Ingress'],
			ingress: [
				{
					from: [{podSelector: {matchLabels: platformPods.app}}],
					ports: tcp(5432),
				},
			],
		},
	};
	const egress: KubeObject = {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'NetworkPolicy',
		metadata: {name: 'codex-k8s-egress-baseline', namespace},
		spec: {
			podSelector: {matchLabels: platformPods.app},
			policyTypes: ['Egress'],
			egress: [
				{
					to: api.map(address => ({ipBlock: {cidr: cidrOf(address)}})),
					ports: tcp(apiPort),
				},
				{
					to: [{podSelector: {matchLabels: platformPods.postgres}}],
					ports: tcp(5432),
				},
				{
					to: [
						{
							podSelector: {
								matchLabels: platformPods.component('control-plane'),
							},
						},
					],
					ports: tcp(9090, 8081),
				},
				{
					to: [
						{podSelector: {matchLabels: platformPods.component('web-console')}},
					],
					ports: tcp(5173),
				},
				{
					to: [
						{
							namespaceSelector: {
								matchLabels: {'kubernetes.io/metadata.name': k3sNamespace},
							},
							podSelector: {matchLabels: {'k8s-app': 'kube-dns'}},
						},
					],
					ports: [
						{protocol: 'UDP', port: 53},
						{protocol: 'TCP', port: 53},
					],
				},
				{
					to: [{ipBlock: {cidr: '0.0.0.0/0'}}, {ipBlock: {cidr: '::/0'}}],
					ports: tcp(80, 443),
				},
			],
		},
	};
	return [...zoneNamespaces(input), postgresIngress, egress];
}

/** The network policy step's own field manager (see below). */
export const networkPolicyManager = `${fieldManager}-network-policy`;

export const networkPolicyStep = objectsStep({
	id: 'cluster.network-policy',
	phase: 'cluster',
	title: 'Network policy baseline',
	// The platform phase applies the platform's Namespace with its own labels: the zone label is
	// this step's, under a manager of its own, so neither apply removes the other's labels.
	manager: networkPolicyManager,
	inputs: input => ({namespace: input.platform.namespace, mode: input.mode}),
	runbook: input => ({
		check: [`kubectl -n ${input.platform.namespace} get networkpolicy`],
		fix: [
			'codex-k8s-install install --only cluster   (puts the baseline back)',
		],
	}),
	describe: input => [
		`namespace ${input.platform.namespace} (platform zone) with NetworkPolicies: PostgreSQL only from the platform's pods; the platform's pods reach only the API (the node's address, ${apiPort}), PostgreSQL, DNS, their own services and the web (80/443)`,
	],
	async objects(context, kube) {
		return networkPolicies(
			context.input,
			await apiAddresses(kube, context.signal),
		);
	},
});
