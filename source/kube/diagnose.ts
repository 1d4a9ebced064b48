/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- pod status is read loosely */
import type {Kube} from './client.js';
import {conditionOf, type KubeObject} from './objects.js';

/** Why pods are not ready: `fatal` will not heal by waiting, `pending` may. */
export type Trouble = {fatal?: string; pending?: string};

type ContainerStatus = {
	name: string;
	image: string;
	restartCount?: number;
	state?: {
		waiting?: {reason?: string; message?: string};
		terminated?: {exitCode?: number; reason?: string; message?: string};
	};
	lastState?: {
		terminated?: {exitCode?: number; reason?: string; message?: string};
	};
};

const pullFailures = new Set([
	'ImagePullBackOff',
	'ErrImagePull',
	'InvalidImageName',
]);

const oneLine = (text = '') => text.replaceAll(/\s+/g, ' ').trim();

/** The last lines a crashed container wrote, or a plain word why there are none. */
async function lastLines(
	kube: Kube,
	pod: KubeObject,
	container: string,
	signal?: AbortSignal,
): Promise<string> {
	const path = `/api/v1/namespaces/${pod.metadata.namespace!}/pods/${pod.metadata.name}/log`;
	try {
		const text = await kube.request('GET', path, {
			query: {container, previous: 'true', tailLines: '5'},
			signal,
		});
		const lines = String(text).trimEnd();
		return lines ? `; last log lines:\n${lines}` : '; it wrote no log lines';
	} catch {
		return '; its log lines cannot be read through the API';
	}
}

/** A crash loop in words: restarts, the last exit code and what the container said. */
function crashed(pod: KubeObject, status: ContainerStatus): string {
	const last = status.lastState?.terminated ?? status.state?.terminated;
	const exit = last ? `, last exit code ${last.exitCode ?? '?'}` : '';
	const said = last?.message ? `: ${oneLine(last.message)}` : '';
	return `container ${status.name} of pod ${pod.metadata.name} keeps crashing (restarted ${status.restartCount ?? 0} times${exit})${said}`;
}

async function containerTrouble(
	kube: Kube,
	pod: KubeObject,
	status: ContainerStatus,
	signal?: AbortSignal,
): Promise<Trouble> {
	const waiting = status.state?.waiting;
	if (waiting?.reason && pullFailures.has(waiting.reason)) {
		return {
			fatal: `the image ${status.image} cannot be pulled (${waiting.reason}: ${oneLine(waiting.message)})`,
		};
	}

	if (waiting?.reason === 'CrashLoopBackOff') {
		return {
			fatal: `${crashed(pod, status)}${await lastLines(kube, pod, status.name, signal)}`,
		};
	}

	const ended = status.state?.terminated;
	if (ended && ended.exitCode !== 0) {
		// A Job may retry: its own Failed condition decides whether this is the end.
		const said = ended.message ? `: ${oneLine(ended.message)}` : '';
		return {
			pending: `container ${status.name} of pod ${pod.metadata.name} exited with code ${ended.exitCode ?? '?'} (${ended.reason ?? 'Error'})${said}`,
		};
	}

	return {};
}

async function claimTrouble(
	kube: Kube,
	pod: KubeObject,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const volumes = (pod.spec?.volumes ?? []) as Array<{
		persistentVolumeClaim?: {claimName: string};
	}>;
	const claims = volumes.flatMap(volume =>
		volume.persistentVolumeClaim
			? [volume.persistentVolumeClaim.claimName]
			: [],
	);
	for (const claim of claims) {
		// eslint-disable-next-line no-await-in-loop -- a pod has few claims
		const found = await kube.read<KubeObject>(
			`/api/v1/namespaces/${pod.metadata.namespace!}/persistentvolumeclaims/${claim}`,
			signal,
		);
		if (!found) {
			return `the volume claim ${claim} of pod ${pod.metadata.name} does not exist`;
		}

		if (found.status?.phase !== 'Bound') {
			return `the volume claim ${claim} is ${found.status?.phase ?? 'Pending'}: no volume was provisioned for it (storage class ${found.spec?.storageClassName ?? 'default'})`;
		}
	}

	return undefined;
}

async function recentWarnings(
	kube: Kube,
	pod: KubeObject,
	signal?: AbortSignal,
): Promise<string | undefined> {
	const events = await kube.read<{items: any[]}>(
		`/api/v1/namespaces/${pod.metadata.namespace!}/events?fieldSelector=${encodeURIComponent(`type=Warning,involvedObject.name=${pod.metadata.name}`)}`,
		signal,
	);
	const messages = (events?.items ?? [])
		.slice(-3)
		.map(event => `${String(event.reason)}: ${oneLine(String(event.message))}`);
	return messages.length > 0
		? `recent warnings: ${messages.join('; ')}`
		: undefined;
}

/** The pods a selector picks, explained: image pulls, crash loops, unbound volumes, warnings. */
export async function podTrouble(
	kube: Kube,
	namespace: string,
	matchLabels: Record<string, string>,
	signal?: AbortSignal,
): Promise<Trouble> {
	const selector = Object.entries(matchLabels)
		.map(([key, value]) => `${key}=${value}`)
		.join(',');
	const pods = await kube.read<{items: KubeObject[]}>(
		`/api/v1/namespaces/${namespace}/pods?labelSelector=${encodeURIComponent(selector)}`,
		signal,
	);
	const pending: string[] = [];
	for (const pod of pods?.items ?? []) {
		const statuses: ContainerStatus[] = [
			...(pod.status?.initContainerStatuses ?? []),
			...(pod.status?.containerStatuses ?? []),
		];
		for (const status of statuses) {
			// eslint-disable-next-line no-await-in-loop -- stops at the first fatal one
			const trouble = await containerTrouble(kube, pod, status, signal);
			if (trouble.fatal) {
				return trouble;
			}

			if (trouble.pending) {
				pending.push(trouble.pending);
			}
		}

		const scheduled = conditionOf(pod, 'PodScheduled');
		if (pod.status?.phase === 'Pending' && scheduled?.status !== 'True') {
			// eslint-disable-next-line no-await-in-loop -- a few pods, looked at in turn
			const claim = await claimTrouble(kube, pod, signal);
			pending.push(
				claim ??
					`pod ${pod.metadata.name} is not scheduled: ${oneLine(scheduled?.message ?? 'no node picked yet')}`,
			);
		}

		// eslint-disable-next-line no-await-in-loop
		const warnings = await recentWarnings(kube, pod, signal);
		if (warnings) {
			pending.push(`pod ${pod.metadata.name}: ${warnings}`);
		}
	}

	return pending.length > 0 ? {pending: pending.join('; ')} : {};
}
