/**
 * Steps that own Kubernetes objects, written once for the cluster, platform and runner phases:
 * `check` is the API's own dry-run of a server-side apply compared with the live objects (a
 * field-level diff, like `kubectl diff`), `apply` sends them in order, `verify` proves nothing is
 * left to change and then waits until they work.
 */

import {kubeconfigSet} from '../source/engine/host.js';
import type {
	Finding,
	Removal,
	Step,
	StepContext,
} from '../source/engine/step.js';
import {UserError} from '../source/errors.js';
import {
	apply,
	check,
	ClusterNotRunningError,
	exists,
	type Kube,
	type KubeObject,
	nameOf,
	type ObjectCheck,
	remove,
} from '../source/kube/index.js';
import {poll} from '../source/wait.js';
import {kubeOf, verifyConverged} from './kit.js';

export type ObjectsStepSpec = Pick<
	Step,
	| 'id'
	| 'phase'
	| 'title'
	| 'when'
	| 'requires'
	| 'inputs'
	| 'describe'
	| 'runbook'
	| 'remove'
> & {
	/**
	 * The objects the step owns, rendered from the input, in the order they are applied (a
	 * Namespace before what lives in it). `kube` is there for what must be read first (a Secret's
	 * value to keep).
	 */
	objects: (
		context: StepContext,
		kube: Kube,
	) => KubeObject[] | Promise<KubeObject[]>;
	/** After applying: waits until the objects work (a rollout, a certificate), with progress. */
	ready?: (kube: Kube, context: StepContext) => Promise<void>;
	/**
	 * `uninstall` deletes the step's objects (not its Namespaces, which others share) and waits
	 * until they are gone: a HelmChart's removal is its chart's uninstall.
	 */
	removeObjects?: boolean;
	/** A field manager of the step's own (see ApplyOptions.manager); the installer's by default. */
	manager?: string;
};

/** How many changed fields of one object the plan lists before it sums up the rest. */
const fieldsShown = 8;

/** The plan's lines for one object: `create Kind ns/name`, or one line per changed field. */
export function objectChanges(result: ObjectCheck): string[] {
	if (result.state === 'done') {
		return [];
	}

	if (result.state === 'new') {
		return [`create ${result.object}`];
	}

	const shown = result.changes
		.slice(0, fieldsShown)
		.map(change => `update ${result.object}: ${change}`);
	const more = result.changes.length - fieldsShown;
	return more > 0
		? [...shown, `update ${result.object}: and ${more} more fields`]
		: shown;
}

type Objects = ObjectsStepSpec['objects'];

async function removable(
	context: StepContext,
	kube: Kube,
	objects: Objects,
): Promise<KubeObject[]> {
	const all = await objects(context, kube);
	return all.filter(object => object.kind !== 'Namespace');
}

/** The cluster of the step, or none: before k3s runs (or after it went) nothing is left to remove. */
export async function kubeIfRunning(
	context: StepContext,
): Promise<Kube | undefined> {
	try {
		return await kubeOf(context);
	} catch (error) {
		if (error instanceof ClusterNotRunningError) {
			return undefined;
		}

		throw error;
	}
}

function objectsRemoval(objects: Objects): Removal {
	return {
		async check(context) {
			const kube = await kubeIfRunning(context);
			if (!kube) {
				return [];
			}

			const owned = await removable(context, kube, objects);
			const there = await Promise.all(
				owned.map(async object => exists(kube, object, context.signal)),
			);
			return owned
				.filter((_, index) => there[index])
				.map(object => `delete ${nameOf(object)}`);
		},
		async apply(context) {
			const kube = await kubeOf(context);
			const owned = await removable(context, kube, objects);
			owned.reverse();
			for (const object of owned) {
				// eslint-disable-next-line no-await-in-loop -- in reverse order of creation
				await remove(kube, object, {signal: context.signal});
			}

			const left = await poll(
				async () => {
					const there = await Promise.all(
						owned.map(async object => exists(kube, object, context.signal)),
					);
					return there.includes(true) ? undefined : true;
				},
				{
					timeoutMs: context.input.timeouts.rollout * 1000,
					signal: context.signal,
				},
			);
			if (!left) {
				throw new UserError(
					`${owned.map(object => nameOf(object)).join(', ')}: still there after deleting`,
					{
						hint: 'A finalizer holds them (a chart uninstall that fails): look at `kubectl get events -A` and the helm-install Jobs in kube-system.',
					},
				);
			}
		},
	};
}

export function objectsStep(spec: ObjectsStepSpec): Step {
	const {objects, ready, removeObjects, manager, ...shared} = spec;
	const owner = manager ? {manager} : {};
	const step: Step = {
		...shared,
		...(removeObjects ? {remove: objectsRemoval(objects)} : {}),
		reach: 'cluster',
		// Read with every step's facts in the plan's one round trip, not in one of its own.
		probes: () => kubeconfigSet,
		async check(context): Promise<Finding> {
			const kube = await kubeOf(context);
			const wanted = await objects(context, kube);
			const results = await Promise.all(
				wanted.map(async object =>
					check(kube, object, {force: true, ...owner, signal: context.signal}),
				),
			);
			const lines = results.flatMap(result => objectChanges(result));
			if (lines.length === 0) {
				return {kind: 'done'};
			}

			const anyThere = results.some(result => result.state !== 'new');
			return {kind: anyThere ? 'change' : 'new', changes: lines};
		},
		async apply(context) {
			const kube = await kubeOf(context);
			for (const object of await objects(context, kube)) {
				// eslint-disable-next-line no-await-in-loop -- in order: a Namespace before its objects
				await apply(kube, object, {
					force: true,
					...owner,
					signal: context.signal,
				});
			}
		},
		async verify(context) {
			await verifyConverged(step, context);
			await ready?.(await kubeOf(context), context);
		},
	};
	return step;
}
