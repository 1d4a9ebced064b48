import type {Kube} from './client.js';
import {conditionOf, type KubeObject} from './objects.js';
import {
	type Observation,
	type WaitOptions,
	waitUntilReady,
} from './readiness.js';

/** What the API does not show yet: nothing ready of one, and why it waits. */
export const notThere = (pending: string): Observation => ({
	ready: 0,
	total: 1,
	done: false,
	pending,
});

/** An object that reports readiness with a `Ready` condition, read until it is True. */
async function waitForReadyCondition(
	kube: Kube,
	what: {title: string; path: string; absent: string; unready: string},
	options: WaitOptions,
): Promise<void> {
	await waitUntilReady(
		what.title,
		async () => {
			const object = await kube.read<KubeObject>(what.path, options.signal);
			if (!object) {
				return notThere(what.absent);
			}

			const ready = conditionOf(object, 'Ready');
			if (ready?.status === 'True') {
				return {ready: 1, total: 1, done: true};
			}

			const said = [ready?.reason, ready?.message].filter(Boolean).join(': ');
			return notThere(said ? `${what.unready} (${said})` : what.unready);
		},
		options,
	);
}

/** The node registers (k3s just started), then reports Ready. */
export async function waitForNode(
	kube: Kube,
	name: string,
	options: WaitOptions,
): Promise<void> {
	await waitForReadyCondition(
		kube,
		{
			title: `node ${name}`,
			path: `/api/v1/nodes/${name}`,
			absent: 'not registered yet',
			unready: 'registered, not Ready yet',
		},
		options,
	);
}

/** A cert-manager Certificate is issued: its Ready condition is True. */
export async function waitForCertificate(
	kube: Kube,
	namespace: string,
	name: string,
	options: WaitOptions,
): Promise<void> {
	await waitForReadyCondition(
		kube,
		{
			title: `certificate ${namespace}/${name}`,
			path: `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/${name}`,
			absent: 'not created yet',
			unready: 'not issued yet',
		},
		options,
	);
}

/** A cert-manager ClusterIssuer is usable: for ACME, its account is registered (Ready True). */
export async function waitForClusterIssuer(
	kube: Kube,
	name: string,
	options: WaitOptions,
): Promise<void> {
	await waitForReadyCondition(
		kube,
		{
			title: `ClusterIssuer ${name}`,
			path: `/apis/cert-manager.io/v1/clusterissuers/${name}`,
			absent: 'not created yet',
			unready: 'not Ready yet',
		},
		options,
	);
}
