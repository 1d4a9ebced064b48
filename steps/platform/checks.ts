import type {Check} from '../../source/engine/check.js';
import {conditionOf, type KubeObject} from '../../source/kube/index.js';
import {
	certificateCheck,
	certificateIssuedCheck,
} from './certificate-checks.js';
import {inNamespace} from './in-namespace.js';
import {ports} from './names.js';

/**
 * The platform's objects, named as upstream's deploy made them (upstream-spec §1, 60_deploy and
 * §7.3): the platform phase must use the same names.
 */
export const platformObjects = {
	migrations: 'codex-k8s-migrate',
	postgres: 'postgres',
	/** The API gateway's Service; /healthz and /readyz answer on its port 80. */
	service: 'codex-k8s',
	tlsSecret: 'codex-k8s-staging-tls',
} as const;

/** A container that restarted this recently is restarting still: its count climbs. */
const climbingWithinMs = 15 * 60_000;

type Pod = {
	metadata: {name: string};
	status?: {
		phase?: string;
		conditions?: Array<{type: string; status: string; reason?: string}>;
		containerStatuses?: Array<{
			name: string;
			restartCount: number;
			lastState?: {terminated?: {finishedAt?: string; reason?: string}};
		}>;
	};
};

/** Why a pod is not well: not Ready, or restarting lately. Empty when it is well. */
export function podTrouble(pod: Pod, now: number): string[] {
	if (pod.status?.phase === 'Succeeded') {
		return [];
	}

	const trouble: string[] = [];
	if (conditionOf(pod, 'Ready')?.status !== 'True') {
		trouble.push(
			`${pod.metadata.name} not Ready (${pod.status?.phase ?? 'no status'})`,
		);
	}

	for (const container of pod.status?.containerStatuses ?? []) {
		const finished = container.lastState?.terminated?.finishedAt;
		if (
			container.restartCount > 0 &&
			finished &&
			now - Date.parse(finished) < climbingWithinMs
		) {
			trouble.push(
				`${pod.metadata.name}/${container.name} restarted ${container.restartCount}× (last ${container.lastState?.terminated?.reason ?? 'exit'} under 15 min ago)`,
			);
		}
	}

	return trouble;
}

export const podsCheck: Check = {
	id: 'platform.pods',
	phase: 'platform',
	title: 'Platform pods Ready',
	proves: 'every platform pod is Ready and none keeps restarting',
	runbookSection: 'The cluster and the platform',
	reach: 'cluster',
	async run(context) {
		return inNamespace(context, async (kube, namespace) => {
			const {items} = await kube.request<{items: Pod[]}>(
				'GET',
				`/api/v1/namespaces/${namespace}/pods`,
				{signal: context.signal},
			);
			const trouble = items.flatMap(pod => podTrouble(pod, Date.now()));
			if (items.length === 0) {
				return {status: 'failed', detail: `no pod in ${namespace}`};
			}

			return trouble.length === 0
				? {status: 'ok', detail: `${items.length} pods in ${namespace}`}
				: {status: 'failed', detail: trouble.join('; ')};
		});
	},
};

export const migrationsCheck: Check = {
	id: 'platform.migrations',
	phase: 'platform',
	title: 'Migrations complete',
	proves: `Job ${platformObjects.migrations} completed: the schema is current`,
	runbookSection: 'The cluster and the platform',
	reach: 'cluster',
	async run(context) {
		return inNamespace(context, async (kube, namespace) => {
			const job = await kube.read<KubeObject>(
				`/apis/batch/v1/namespaces/${namespace}/jobs/${platformObjects.migrations}`,
				context.signal,
			);
			if (!job) {
				return {
					status: 'failed',
					detail: `no Job ${platformObjects.migrations}`,
				};
			}

			if (conditionOf(job, 'Complete')?.status === 'True') {
				return {
					status: 'ok',
					detail: `Job ${platformObjects.migrations} complete`,
				};
			}

			const failed = conditionOf(job, 'Failed');
			return {
				status: 'failed',
				detail:
					failed?.status === 'True'
						? `Job ${platformObjects.migrations} failed: ${failed.message ?? failed.reason ?? ''}`
						: `Job ${platformObjects.migrations} not complete yet`,
			};
		});
	},
};

type EndpointSlice = {
	ports?: Array<{name?: string; port?: number}> | undefined;
	endpoints?: Array<{addresses: string[]; conditions?: {ready?: boolean}}>;
};

/** Addresses of ready pods behind the Service `postgres` on its port (EndpointSlices: `ready` unset counts as ready). */
export function readyDatabaseAddresses(
	slices: readonly EndpointSlice[],
): string[] {
	return slices
		.filter(slice => slice.ports?.some(port => port.port === ports.postgres))
		.flatMap(slice => slice.endpoints ?? [])
		.filter(endpoint => endpoint.conditions?.ready !== false)
		.flatMap(endpoint => endpoint.addresses);
}

/**
 * No check of its own connects to the database (credentials stay in the cluster, and from the
 * laptop the API server is the only way in): the pod's readiness probe, `pg_isready` run by the
 * kubelet every 5 s, is what answers. This check proves the probe passes AND that the Service the
 * platform dials (`postgres:5432`) routes to that ready pod: a selector or port gone wrong fails.
 */
export const postgresCheck: Check = {
	id: 'platform.postgres',
	phase: 'platform',
	title: 'PostgreSQL answers',
	proves: `StatefulSet ${platformObjects.postgres} is ready (its pg_isready probe passes) and Service ${platformObjects.postgres} routes port ${ports.postgres} to it`,
	runbookSection: 'Database restore basics',
	reach: 'cluster',
	async run(context) {
		return inNamespace(context, async (kube, namespace) => {
			const set = await kube.read<KubeObject>(
				`/apis/apps/v1/namespaces/${namespace}/statefulsets/${platformObjects.postgres}`,
				context.signal,
			);
			if (!set) {
				return {
					status: 'failed',
					detail: `no StatefulSet ${platformObjects.postgres}`,
				};
			}

			const ready = (set.status as {readyReplicas?: number} | undefined)
				?.readyReplicas;
			if (!ready) {
				return {
					status: 'failed',
					detail: `StatefulSet ${platformObjects.postgres}: 0 ready (pg_isready does not pass)`,
				};
			}

			const {items} = await kube.request<{items: EndpointSlice[]}>(
				'GET',
				`/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
				{
					query: {
						labelSelector: `kubernetes.io/service-name=${platformObjects.postgres}`,
					},
					signal: context.signal,
				},
			);
			const addresses = readyDatabaseAddresses(items);
			return addresses.length > 0
				? {
						status: 'ok',
						detail: `${ready} ready; Service ${platformObjects.postgres}:${ports.postgres} → ${addresses.join(', ')}`,
					}
				: {
						status: 'failed',
						detail: `${ready} ready, but Service ${platformObjects.postgres} has no ready endpoint on ${ports.postgres}: the platform cannot reach the database`,
					};
		});
	},
};

/** Through the API server's service proxy: the same path from the laptop and in the cluster. */
export const healthCheck: Check = {
	id: 'platform.health',
	phase: 'platform',
	title: 'Health endpoints answer',
	proves: `/healthz and /readyz of Service ${platformObjects.service} answer 2xx`,
	runbookSection: 'The cluster and the platform',
	reach: 'cluster',
	async run(context) {
		return inNamespace(context, async (kube, namespace) => {
			const base = `/api/v1/namespaces/${namespace}/services/${platformObjects.service}:80/proxy`;
			await Promise.all(
				['healthz', 'readyz'].map(async path =>
					kube.request('GET', `${base}/${path}`, {signal: context.signal}),
				),
			);
			return {status: 'ok', detail: '/healthz and /readyz answer'};
		});
	},
};

/** The platform's smoke checks. */
export const platformChecks: readonly Check[] = [
	podsCheck,
	migrationsCheck,
	postgresCheck,
	healthCheck,
	certificateIssuedCheck,
	certificateCheck,
];
