import {UserError} from '../errors.js';
import {whileWebhooksStart} from './admission.js';
import type {Kube} from './client.js';
import {diffObjects} from './diff.js';
import {ApiError, UnknownKindError} from './errors.js';
import {type KubeObject, nameOf, pathOf} from './objects.js';

/** The field manager of everything the installer owns. */
export const fieldManager = 'codex-k8s-install';

export type ApplyOptions = {
	/** Take over fields another manager set: only for objects the installer owns. */
	force?: boolean;
	/**
	 * Another manager than the installer's own, for an object two steps apply in part (a
	 * Namespace one step labels and another owns): with one manager, each apply would remove the
	 * fields the other set, and the two would undo each other run after run.
	 */
	manager?: string;
	signal?: AbortSignal;
	/** How long to send again while an admission webhook does not answer yet. */
	webhookWaitMs?: number;
};

async function serverSideApply(
	kube: Kube,
	object: KubeObject,
	options: ApplyOptions & {dryRun?: boolean},
): Promise<KubeObject> {
	const path = await pathOf(kube, object);
	return whileWebhooksStart(
		async () =>
			kube.request<KubeObject>('PATCH', path, {
				body: object,
				// JSON is YAML: the API takes an apply patch in either.
				contentType: 'application/apply-patch+yaml',
				query: {
					fieldManager: options.manager ?? fieldManager,
					...(options.force ? {force: 'true'} : {}),
					...(options.dryRun ? {dryRun: 'All'} : {}),
				},
				signal: options.signal,
			}),
		{limitMs: options.webhookWaitMs, signal: options.signal},
	);
}

/** Server-side apply: creates the object or sets the fields the installer manages. */
export async function apply(
	kube: Kube,
	object: KubeObject,
	options: ApplyOptions = {},
): Promise<KubeObject> {
	return serverSideApply(kube, object, options);
}

export type ObjectCheck = {
	object: string;
	state: 'new' | 'change' | 'done';
	/** Field paths that an apply would change, `spec.replicas: 1 → 2`; empty when done. */
	changes: string[];
};

/**
 * What applying `object` would change, read-only: the API's own dry-run of the apply (with its
 * defaulting, admission and field ownership) compared with the live object, like `kubectl diff`.
 */
export async function check(
	kube: Kube,
	object: KubeObject,
	options: ApplyOptions = {},
): Promise<ObjectCheck> {
	// A controller may write the object between the read and the dry-run (a volume claim being
	// bound): the dry-run then starts from a newer version, so both are read again.
	for (let attempt = 1; ; attempt++) {
		// eslint-disable-next-line no-await-in-loop -- again only when the object moved
		const result = await checkOnce(kube, object, options);
		if (result !== 'moved') {
			return result;
		}

		if (attempt === 5) {
			throw new UserError(
				`${nameOf(object)} keeps changing while it is compared with what the installer wants`,
				{
					hint: 'Another controller is rewriting it; run again once it settles.',
				},
			);
		}
	}
}

async function checkOnce(
	kube: Kube,
	object: KubeObject,
	options: ApplyOptions,
): Promise<ObjectCheck | 'moved'> {
	const name = nameOf(object);
	const created = {
		object: name,
		state: 'new' as const,
		changes: [],
	};
	let live: KubeObject | undefined;
	try {
		live = await kube.read<KubeObject>(
			await pathOf(kube, object),
			options.signal,
		);
	} catch (error) {
		// Its type comes with a chart an earlier step installs: nothing of it can exist yet.
		if (error instanceof UnknownKindError) {
			return created;
		}

		throw error;
	}

	let wouldBe: KubeObject;
	try {
		wouldBe = await serverSideApply(kube, object, {...options, dryRun: true});
	} catch (error) {
		// Its namespace is created by the same run, before it: the dry-run cannot place it yet.
		if (!live && error instanceof ApiError && error.status === 404) {
			return created;
		}

		throw error;
	}

	if (!live) {
		return {object: name, state: 'new', changes: diffObjects({}, wouldBe)};
	}

	if (wouldBe.metadata.resourceVersion !== live.metadata.resourceVersion) {
		return 'moved';
	}

	const changes = diffObjects(live, wouldBe);
	return {object: name, state: changes.length > 0 ? 'change' : 'done', changes};
}

/**
 * Deletes the object if it is there; answers whether it was. Controllers that hold a finalizer
 * (a HelmChart's uninstall) finish the removal after this returns.
 */
export async function remove(
	kube: Kube,
	object: KubeObject,
	options: {signal?: AbortSignal} = {},
): Promise<boolean> {
	let path: string;
	try {
		path = await pathOf(kube, object);
	} catch (error) {
		// Its type is gone (the chart that brought it was removed): so is the object.
		if (error instanceof UnknownKindError) {
			return false;
		}

		throw error;
	}

	try {
		await kube.request('DELETE', path, {
			body: {
				kind: 'DeleteOptions',
				apiVersion: 'v1',
				propagationPolicy: 'Foreground',
			},
			signal: options.signal,
		});
		return true;
	} catch (error) {
		if (error instanceof ApiError && error.status === 404) {
			return false;
		}

		throw error;
	}
}

/** Whether the object is still there (deleted objects linger while finalizers run). */
export async function exists(
	kube: Kube,
	object: KubeObject,
	signal?: AbortSignal,
): Promise<boolean> {
	try {
		return (await kube.read(await pathOf(kube, object), signal)) !== undefined;
	} catch (error) {
		if (error instanceof UnknownKindError) {
			return false;
		}

		throw error;
	}
}
