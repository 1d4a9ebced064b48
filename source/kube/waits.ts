import type {Kube} from './client.js';
import {notThere} from './condition-waits.js';
import {podTrouble} from './diagnose.js';
import {type Condition, conditionOf} from './objects.js';
import {
	type Observation,
	type WaitOptions,
	waitUntilReady,
} from './readiness.js';

/** The fields of Deployments, StatefulSets, Jobs and HelmCharts the waits read. */
type Workload = {
	metadata: {generation?: number};
	spec: {
		replicas?: number;
		completions?: number;
		selector?: {matchLabels?: Record<string, string>};
	};
	status?: {
		conditions?: Condition[];
		observedGeneration?: number;
		replicas?: number;
		updatedReplicas?: number;
		availableReplicas?: number;
		readyReplicas?: number;
		currentRevision?: string;
		updateRevision?: string;
		succeeded?: number;
		jobName?: string;
	};
};

/** A rollout's count: replicas updated and available, and whether it is complete. */
function rolloutOf(
	kind: 'Deployment' | 'StatefulSet',
	{metadata, spec, status = {}}: Workload,
): Observation {
	const total = spec.replicas ?? 1;
	const updated = status.updatedReplicas ?? 0;
	const available =
		(kind === 'Deployment' ? status.availableReplicas : status.readyReplicas) ??
		0;
	const done =
		(status.observedGeneration ?? 0) >= (metadata.generation ?? 0) &&
		updated === total &&
		available === total &&
		(status.replicas ?? 0) === total &&
		(kind === 'Deployment' || status.currentRevision === status.updateRevision);
	return {ready: Math.min(updated, available), total, done};
}

type Revisioned = {
	metadata: {
		labels?: Record<string, string>;
		annotations?: Record<string, string>;
	};
};

const revisionKey = 'deployment.kubernetes.io/revision';

/**
 * The labels of the pods of the revision being rolled out: an old pod (the image that could not be
 * pulled, before the fix) says nothing about the new one. Undefined while the controller has not
 * made the new revision yet.
 */
async function currentPods(
	kube: Kube,
	{kind, namespace}: {kind: 'Deployment' | 'StatefulSet'; namespace: string},
	object: Workload & Revisioned,
	signal: AbortSignal,
): Promise<Record<string, string> | undefined> {
	const matchLabels = object.spec.selector?.matchLabels ?? {};
	if (
		(object.status?.observedGeneration ?? 0) < (object.metadata.generation ?? 0)
	) {
		return undefined;
	}

	if (kind === 'StatefulSet') {
		const revision = object.status?.updateRevision;
		return revision
			? {...matchLabels, 'controller-revision-hash': revision}
			: undefined;
	}

	const selector = Object.entries(matchLabels)
		.map(([key, value]) => `${key}=${value}`)
		.join(',');
	const sets = await kube.read<{items: Revisioned[]}>(
		`/apis/apps/v1/namespaces/${namespace}/replicasets?labelSelector=${encodeURIComponent(selector)}`,
		signal,
	);
	const wanted = object.metadata.annotations?.[revisionKey];
	const newest = sets?.items.find(
		set =>
			wanted !== undefined &&
			set.metadata.annotations?.[revisionKey] === wanted,
	);
	const hash = newest?.metadata.labels?.['pod-template-hash'];
	return hash ? {...matchLabels, 'pod-template-hash': hash} : undefined;
}

/** A Deployment or StatefulSet rolled out: every replica updated and available. */
export async function waitForRollout(
	kube: Kube,
	{
		kind,
		namespace,
		name,
	}: {
		kind: 'Deployment' | 'StatefulSet';
		namespace: string;
		name: string;
	},
	options: WaitOptions,
): Promise<void> {
	const resource = kind === 'Deployment' ? 'deployments' : 'statefulsets';
	await waitUntilReady(
		`${kind} ${namespace}/${name}`,
		async () => {
			const object = await kube.read<Workload & Revisioned>(
				`/apis/apps/v1/namespaces/${namespace}/${resource}/${name}`,
				options.signal,
			);
			if (!object) {
				return notThere('not created yet');
			}

			const count = rolloutOf(kind, object);
			if (count.done) {
				return count;
			}

			const stalled = conditionOf(object, 'Progressing');
			if (stalled?.reason === 'ProgressDeadlineExceeded') {
				return {...count, fatal: stalled.message ?? 'the rollout stalled'};
			}

			const current = await currentPods(
				kube,
				{kind, namespace},
				object,
				options.signal,
			);
			if (!current) {
				return {...count, pending: 'the new revision has no pods yet'};
			}

			const trouble = await podTrouble(
				kube,
				namespace,
				current,
				options.signal,
			);
			return {...count, ...trouble};
		},
		options,
	);
}

export async function lookAtJob(
	kube: Kube,
	namespace: string,
	name: string,
	signal: AbortSignal,
): Promise<Observation> {
	const job = await kube.read<Workload>(
		`/apis/batch/v1/namespaces/${namespace}/jobs/${name}`,
		signal,
	);
	if (!job) {
		return notThere('not created yet');
	}

	const total = job.spec.completions ?? 1;
	const ready = job.status?.succeeded ?? 0;
	if (conditionOf(job, 'Complete')?.status === 'True') {
		return {ready, total, done: true};
	}

	const trouble = await podTrouble(
		kube,
		namespace,
		job.spec.selector?.matchLabels ?? {'batch.kubernetes.io/job-name': name},
		signal,
	);
	const failed = conditionOf(job, 'Failed');
	if (failed?.status === 'True') {
		const pods = trouble.fatal ?? trouble.pending;
		return {
			ready,
			total,
			done: false,
			fatal: `${failed.reason ?? 'Failed'}: ${failed.message ?? ''}${pods ? `; ${pods}` : ''}`,
		};
	}

	return {ready, total, done: false, ...trouble};
}

/** A Job completes; a failed one, or a pod that cannot run, ends the wait with why. */
export async function waitForJob(
	kube: Kube,
	namespace: string,
	name: string,
	options: WaitOptions,
): Promise<void> {
	await waitUntilReady(
		`Job ${namespace}/${name}`,
		async () => lookAtJob(kube, namespace, name, options.signal),
		options,
	);
}
