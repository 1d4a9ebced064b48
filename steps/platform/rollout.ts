import {isDeepStrictEqual} from 'node:util';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {
	apply,
	check,
	type Kube,
	type KubeObject,
	nameOf,
	progressLine,
	waitForRollout,
} from '../../source/kube/index.js';
import {poll} from '../../source/wait.js';
import {kubeOf, verifyConverged} from '../kit.js';
import {objectChanges} from '../kit-objects.js';
import {tunnelLine} from './access.js';
import {componentGroups, type ComponentGroup} from './components.js';
import {revisionOf} from './revision.js';

type Selector = {matchLabels?: Record<string, string>};

const deploymentPath = (object: KubeObject) =>
	`/apis/apps/v1/namespaces/${object.metadata.namespace!}/deployments/${object.metadata.name}`;

/**
 * A Deployment's selector cannot change: one whose live selector differs (upstream's older
 * `codex-k8s` Deployment) is deleted and created again — said in the plan, never failed on.
 */
async function selectorChange(
	kube: Kube,
	object: KubeObject,
	signal: AbortSignal,
): Promise<string | undefined> {
	if (object.kind !== 'Deployment') {
		return undefined;
	}

	const live = await kube.read<KubeObject>(deploymentPath(object), signal);
	const before = (live?.spec as {selector?: Selector} | undefined)?.selector;
	const after = (object.spec as {selector: Selector}).selector;
	if (!live || isDeepStrictEqual(before?.matchLabels, after.matchLabels)) {
		return undefined;
	}

	return `replace ${nameOf(object)}: its selector changes from ${JSON.stringify(before?.matchLabels ?? {})} to ${JSON.stringify(after.matchLabels)} (a selector cannot change: deleted, then created again)`;
}

async function linesOf(
	kube: Kube,
	groups: ComponentGroup[],
	signal: AbortSignal,
): Promise<{lines: string[]; anyThere: boolean}> {
	const objects = groups.flatMap(group => group.objects);
	const results = await Promise.all(
		objects.map(async object => {
			const replace = await selectorChange(kube, object, signal);
			return replace
				? {lines: [replace], there: true}
				: check(kube, object, {force: true, signal}).then(result => ({
						lines: objectChanges(result),
						there: result.state !== 'new',
					}));
		}),
	);
	return {
		lines: results.flatMap(result => result.lines),
		anyThere: results.some(result => result.there),
	};
}

async function rollOut(
	kube: Kube,
	context: StepContext,
	group: ComponentGroup,
): Promise<void> {
	const {signal} = context;
	for (const object of group.objects) {
		// eslint-disable-next-line no-await-in-loop -- one at a time, in order
		if (await selectorChange(kube, object, signal)) {
			// eslint-disable-next-line no-await-in-loop
			await kube.request('DELETE', deploymentPath(object), {
				query: {propagationPolicy: 'Foreground'},
				signal,
			});
			// eslint-disable-next-line no-await-in-loop
			await poll(
				async () =>
					(await kube.read(deploymentPath(object), signal)) ? undefined : true,
				{delayMs: 200, maxDelayMs: 2000, timeoutMs: 120_000, signal},
			);
		}

		// eslint-disable-next-line no-await-in-loop
		await apply(kube, object, {force: true, signal});
	}

	await waitForRollout(
		kube,
		{
			kind: 'Deployment',
			namespace: context.input.platform.namespace,
			name: group.deployment,
		},
		{
			limitMs: context.input.timeouts.rollout * 1000,
			signal,
			progress(event) {
				context.output(progressLine(event));
			},
		},
	);
}

/**
 * `platform.components`: codex-k8s itself, rolled out in order — control-plane, api-gateway,
 * worker, oauth2-proxy — each waited before the next starts (the api-gateway waits for the
 * control plane, which waits for the database). Not an objectsStep: the order and the selector
 * replacement are the point.
 */
export const platformComponents: Step = {
	id: 'platform.components',
	runbook: input => ({
		check: [
			`kubectl -n ${input.platform.namespace} rollout status deployment/codex-k8s-control-plane deployment/codex-k8s deployment/codex-k8s-worker deployment/oauth2-proxy`,
		],
		fix: [
			`kubectl -n ${input.platform.namespace} describe deployment <name>; kubectl -n ${input.platform.namespace} logs deployment/<name>`,
			'codex-k8s-install install --only platform',
		],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'codex-k8s components',
	reach: 'cluster',
	inputs: input => ({
		replicas: input.platform.replicas,
		mode: input.mode,
		domain: input.domain,
	}),
	describe: input => [
		`Deployments codex-k8s-control-plane → codex-k8s (api-gateway) → codex-k8s-worker (its service account and cluster role) → oauth2-proxy in ${input.platform.namespace}, each rolled out before the next`,
		'images 127.0.0.1:5000/codex-k8s/<component>:sha-<12> of the commit deployed; a Deployment whose selector would change is replaced',
	],
	async check(context): Promise<Finding> {
		const kube = await kubeOf(context);
		const groups = componentGroups(context.input, await revisionOf(context));
		const {lines, anyThere} = await linesOf(kube, groups, context.signal);
		if (lines.length === 0) {
			return {kind: 'done'};
		}

		return {kind: anyThere ? 'change' : 'new', changes: lines};
	},
	async apply(context) {
		const kube = await kubeOf(context);
		const groups = componentGroups(context.input, await revisionOf(context));
		for (const group of groups) {
			// eslint-disable-next-line no-await-in-loop -- the order is the point
			await rollOut(kube, context, group);
		}

		// Local mode publishes nothing: the run's summary says how to open the staff UI.
		return context.input.mode === 'server' ? undefined : tunnelLine(context);
	},
	async verify(context) {
		await verifyConverged(platformComponents, context);
	},
};
