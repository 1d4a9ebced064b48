import {UnknownKindError} from './errors.js';
import type {Kube} from './client.js';

export type Condition = {
	type: string;
	status: string;
	reason?: string;
	message?: string;
};

/** Any Kubernetes object, as far as this layer reads it. */
export type KubeObject = {
	[field: string]: unknown;
	apiVersion: string;
	kind: string;
	metadata: {
		[field: string]: unknown;
		name: string;
		namespace?: string;
		resourceVersion?: string;
		generation?: number;
		labels?: Record<string, string>;
		annotations?: Record<string, string>;
		managedFields?: Array<{manager?: string; operation?: string}>;
	};
	spec?: any;
	status?: any;
};

export function conditionOf(
	object: {status?: {conditions?: Condition[]}} | undefined,
	type: string,
): Condition | undefined {
	return object?.status?.conditions?.find(each => each.type === type);
}

type ApiResource = {name: string; kind: string; namespaced: boolean};

const discovered = new WeakMap<Kube, Map<string, Promise<ApiResource[]>>>();

/** The resources of one group version, asked once per client (the API's discovery document). */
async function resourcesOf(
	kube: Kube,
	apiVersion: string,
): Promise<ApiResource[]> {
	const cache =
		discovered.get(kube) ?? new Map<string, Promise<ApiResource[]>>();
	discovered.set(kube, cache);
	let found = cache.get(apiVersion);
	if (!found) {
		const base = apiVersion.includes('/')
			? `/apis/${apiVersion}`
			: `/api/${apiVersion}`;
		found = kube.read<{resources: ApiResource[]}>(base).then(list => {
			// A group a chart has not installed yet is asked again: a later step installs it.
			if (!list) {
				cache.delete(apiVersion);
			}

			return list?.resources ?? [];
		});
		cache.set(apiVersion, found);
		found.catch(() => cache.delete(apiVersion));
	}

	return found;
}

/** The object's REST path: `/apis/apps/v1/namespaces/x/deployments/web`. */
export async function pathOf(kube: Kube, object: KubeObject): Promise<string> {
	const {apiVersion, kind, metadata} = object;
	const resources = await resourcesOf(kube, apiVersion);
	const resource = resources.find(
		each => each.kind === kind && !each.name.includes('/'),
	);
	if (!resource) {
		throw new UnknownKindError(kube.where, kind, apiVersion);
	}

	const base = apiVersion.includes('/')
		? `/apis/${apiVersion}`
		: `/api/${apiVersion}`;
	const namespace = resource.namespaced
		? `/namespaces/${metadata.namespace ?? 'default'}`
		: '';
	return `${base}${namespace}/${resource.name}/${encodeURIComponent(metadata.name)}`;
}

/** `Deployment platform/web`, for messages and plan lines. */
export const nameOf = (object: KubeObject): string =>
	`${object.kind} ${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name}`;
