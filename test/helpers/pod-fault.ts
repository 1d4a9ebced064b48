import type {Kube} from '../../source/kube/index.js';
import {waitFor} from './cluster/wait.js';

/*
"Stop a stand-in pod" (issue 19): the simulated kubelet reads a fault from the pod template's
annotation (docs/test-cluster.md), so a Deployment given `kcluster.test/fault: CrashLoopBackOff`
rolls out a pod that crash-loops and is never Ready; taking the annotation away rolls out a
healthy one again. Both wait for the state, not for time.
*/

const fault = 'kcluster.test/fault';

type Pod = {
	metadata: {annotations?: Record<string, string>};
	status?: {
		containerStatuses?: Array<{state?: {waiting?: {reason?: string}}}>;
	};
};

type Deployment = {
	metadata: {generation?: number};
	spec: {replicas?: number};
	status?: {
		observedGeneration?: number;
		replicas?: number;
		updatedReplicas?: number;
		readyReplicas?: number;
	};
};

const deploymentPath = (namespace: string, name: string) =>
	`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`;

async function annotate(
	kube: Kube,
	path: string,
	value: string | undefined,
): Promise<void> {
	await kube.request('PATCH', path, {
		body: {
			spec: {
				template: {metadata: {annotations: {[fault]: value ?? null}}},
			},
		},
		contentType: 'application/merge-patch+json',
	});
}

/** The Deployment's new pod crash-loops; resolves once one does. */
export async function crashLoop(
	kube: Kube,
	namespace: string,
	name: string,
): Promise<void> {
	await annotate(kube, deploymentPath(namespace, name), 'CrashLoopBackOff');
	await waitFor(
		`a crash-looping pod of ${name}`,
		async () => {
			const pods = await kube.read<{items: Pod[]}>(
				`/api/v1/namespaces/${namespace}/pods`,
			);
			return pods?.items.some(
				pod =>
					pod.metadata.annotations?.[fault] === 'CrashLoopBackOff' &&
					pod.status?.containerStatuses?.some(
						status => status.state?.waiting?.reason === 'CrashLoopBackOff',
					),
			)
				? true
				: undefined;
		},
		5 * 60_000,
	);
}

/** The fault taken away; resolves once the Deployment rolled out and no faulty pod is left. */
export async function heal(
	kube: Kube,
	namespace: string,
	name: string,
): Promise<void> {
	const path = deploymentPath(namespace, name);
	await annotate(kube, path, undefined);
	await waitFor(
		`${name} rolled out without the fault`,
		async () => {
			const deployment = await kube.read<Deployment>(path);
			const pods = await kube.read<{items: Pod[]}>(
				`/api/v1/namespaces/${namespace}/pods`,
			);
			const wanted = deployment?.spec.replicas ?? 1;
			const status = deployment?.status;
			const done =
				(status?.observedGeneration ?? 0) >=
					(deployment?.metadata.generation ?? 1) &&
				status?.updatedReplicas === wanted &&
				status.readyReplicas === wanted &&
				status.replicas === wanted &&
				!pods?.items.some(pod => pod.metadata.annotations?.[fault]);
			return done ? true : undefined;
		},
		5 * 60_000,
	);
}
