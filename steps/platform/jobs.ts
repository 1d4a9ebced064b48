/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- pod status is read loosely */
/**
 * Jobs the platform phase runs to completion (image builds, migrations): their state, deleting
 * one to run it again, and which of its steps (containers) failed with its last lines.
 */

import {
	conditionOf,
	type Kube,
	type KubeObject,
} from '../../source/kube/index.js';
import {poll} from '../../source/wait.js';

export type JobState = {
	state: 'absent' | 'running' | 'complete' | 'failed';
	job?: KubeObject;
};

const jobPath = (namespace: string, name: string) =>
	`/apis/batch/v1/namespaces/${namespace}/jobs/${name}`;

export async function jobState(
	kube: Kube,
	namespace: string,
	name: string,
	signal?: AbortSignal,
): Promise<JobState> {
	const job = await kube.read<KubeObject>(jobPath(namespace, name), signal);
	if (!job) {
		return {state: 'absent'};
	}

	if (conditionOf(job, 'Complete')?.status === 'True') {
		return {state: 'complete', job};
	}

	return {
		state: conditionOf(job, 'Failed')?.status === 'True' ? 'failed' : 'running',
		job,
	};
}

/** Deletes a Job with its pods and waits until it is gone, so one of the same name can start. */
export async function deleteJob(
	kube: Kube,
	namespace: string,
	name: string,
	signal: AbortSignal,
): Promise<void> {
	const path = jobPath(namespace, name);
	if (!(await kube.read(path, signal))) {
		return;
	}

	await kube.request('DELETE', path, {
		query: {propagationPolicy: 'Foreground'},
		signal,
	});
	await poll(async () => ((await kube.read(path, signal)) ? undefined : true), {
		delayMs: 200,
		maxDelayMs: 2000,
		timeoutMs: 120_000,
		signal,
	});
}

type Ended = {
	name: string;
	state?: {terminated?: {exitCode?: number; message?: string}};
};

export type StepFailure = {step: string; exitCode?: number; lines: string};

/**
 * The container (step) of a failed Job's pod that ended with an error, and its last lines: the
 * termination message (its log tail, by `FallbackToLogsOnError`), else the log read through the
 * API, else a plain word why there are none.
 */
export async function failedStepOf(
	kube: Kube,
	namespace: string,
	jobName: string,
	signal?: AbortSignal,
): Promise<StepFailure | undefined> {
	const pods = await kube.read<{items: KubeObject[]}>(
		`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(`batch.kubernetes.io/job-name=${jobName}`)}`,
		signal,
	);
	for (const pod of pods?.items ?? []) {
		const statuses: Ended[] = [
			...(pod.status?.initContainerStatuses ?? []),
			...(pod.status?.containerStatuses ?? []),
		];
		const failed = statuses.find(
			status => (status.state?.terminated?.exitCode ?? 0) !== 0,
		);
		if (!failed) {
			continue;
		}

		const {exitCode, message = ''} = failed.state!.terminated!;
		const lines =
			message.trim() === ''
				? // eslint-disable-next-line no-await-in-loop -- the first failed pod is the one
					await logTail(kube, pod, failed.name, signal)
				: message.trim();
		return {step: failed.name, exitCode, lines};
	}

	return undefined;
}

async function logTail(
	kube: Kube,
	pod: KubeObject,
	container: string,
	signal?: AbortSignal,
): Promise<string> {
	try {
		const text = await kube.request(
			'GET',
			`/api/v1/namespaces/${pod.metadata.namespace!}/pods/${pod.metadata.name}/log`,
			{query: {container, tailLines: '20'}, signal},
		);
		return String(text).trim() || '(it wrote no log lines)';
	} catch {
		return '(its log lines cannot be read through the API)';
	}
}

/** The last `count` lines of a text, for messages. */
export const lastLines = (text: string, count = 20) =>
	text.split('\n').slice(-count).join('\n');
