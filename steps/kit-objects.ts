/**
 * Steps that own Kubernetes objects, written once for the cluster, platform and runner phases:
 * `check` is the API's own dry-run of a server-side apply compared with the live objects (a
 * field-level diff, like `kubectl diff`), `apply` sends them in order, `verify` proves nothing is
 * left to change and then waits until they work.
 */

import type {Finding, Step, StepContext} from '../source/engine/step.js';
import {
	apply,
	check,
	type Kube,
	type KubeObject,
	type ObjectCheck,
} from '../source/kube/index.js';
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

export function objectsStep(spec: ObjectsStepSpec): Step {
	const {objects, ready, ...shared} = spec;
	const step: Step = {
		...shared,
		reach: 'cluster',
		async check(context): Promise<Finding> {
			const kube = await kubeOf(context);
			const wanted = await objects(context, kube);
			const results = await Promise.all(
				wanted.map(async object =>
					check(kube, object, {force: true, signal: context.signal}),
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
				await apply(kube, object, {force: true, signal: context.signal});
			}
		},
		async verify(context) {
			await verifyConverged(step, context);
			await ready?.(await kubeOf(context), context);
		},
	};
	return step;
}
