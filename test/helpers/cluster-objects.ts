// Shared by the cluster objects' tests: inputs, a step context on a test cluster, the objects each
// step owns, and stand-ins for the controllers the test cluster does not run (named where used).
import type {Input} from '../../source/config/schema.js';
import type {StepContext} from '../../source/engine/step.js';
import type {Kube, KubeObject} from '../../source/kube/index.js';
import {pathOf} from '../../source/kube/objects.js';
import {certManagerChart} from '../../steps/cluster/cert-manager.js';
import {clusterIssuer} from '../../steps/cluster/cluster-issuer.js';
import {networkPolicies} from '../../steps/cluster/network-policy.js';
import {registryObjects} from '../../steps/cluster/registry.js';
import {traefikConfig} from '../../steps/cluster/traefik.js';
import {baseInput, fakeContext} from './fake-steps.js';

/** The test cluster's simulated node reports this InternalIP. */
export const nodeAddress = '127.0.0.1';

export const serverInput = (overrides: Record<string, unknown> = {}): Input =>
	baseInput({
		mode: 'server',
		domain: 'staging.example.com',
		acmeEmail: 'ops@example.com',
		...overrides,
	});

/** An input whose waits give up quickly: the rollout limit is 3 s. */
export const impatient = (input = serverInput()): Input => ({
	...input,
	timeouts: {...input.timeouts, rollout: 3},
});

/** A step context on the test cluster that keeps the live lines the steps write. */
export function clusterContext(
	kube: Kube,
	input: Input,
): StepContext & {lines: string[]} {
	const lines: string[] = [];
	return {
		...fakeContext({kube: async () => kube, phases: ['cluster'], input}),
		output(line) {
			lines.push(line);
		},
		lines,
	};
}

/** Every object the cluster objects' steps own for this input, in their order. */
export function ownedObjects(input: Input): KubeObject[] {
	return [
		traefikConfig(input),
		...(input.mode === 'server'
			? [certManagerChart(), clusterIssuer(input)]
			: []),
		...registryObjects(),
		...networkPolicies(input, [nodeAddress]),
	];
}

/** Each object's resourceVersion, by kind and name. */
export async function versionsOf(
	kube: Kube,
	objects: KubeObject[],
): Promise<Record<string, string | undefined>> {
	const entries = await Promise.all(
		objects.map(async object => {
			const live = await kube.read<KubeObject>(await pathOf(kube, object));
			return [
				`${object.kind} ${object.metadata.name}`,
				live?.metadata.resourceVersion,
			] as const;
		}),
	);
	return Object.fromEntries(entries);
}

/** A JSON merge patch by another field manager: a fault injected, or a stand-in's write. */
export async function mergePatch(
	kube: Kube,
	path: string,
	body: unknown,
	manager = 'test-stand-in',
): Promise<void> {
	await kube.request('PATCH', path, {
		body,
		contentType: 'application/merge-patch+json',
		query: {fieldManager: manager},
	});
}

/**
 * Stands in for cert-manager's controller, which does not run here (no ACME is reachable): writes
 * the Ready condition it writes once the ACME account is registered, or why it is not.
 */
export async function issuerStatus(
	kube: Kube,
	name: string,
	ready: {status: 'True' | 'False'; reason: string; message: string},
): Promise<void> {
	await kube.request(
		'PATCH',
		`/apis/cert-manager.io/v1/clusterissuers/${name}/status`,
		{
			body: {
				status: {
					conditions: [
						{
							type: 'Ready',
							...ready,
							lastTransitionTime: new Date().toISOString(),
						},
					],
				},
			},
			contentType: 'application/merge-patch+json',
			query: {fieldManager: 'cert-manager-stand-in'},
		},
	);
}
