/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument */
// API bodies are loosely typed on purpose here; assertions check their shape.
// The real controllers and scheduler, with the simulated node writing the kubelet's status shapes.
import {clusterTests} from '../helpers/cluster/ava.js';
import {type Cluster, condition, waitFor} from '../helpers/cluster.js';

const clusterTest = clusterTests();

async function create(
	cluster: Cluster,
	path: string,
	body: unknown,
): Promise<any> {
	const response = await cluster.request('POST', path, body);
	if (response.status !== 201) {
		throw new Error(
			`POST ${path}: ${response.status} ${JSON.stringify(response.body)}`,
		);
	}

	return response.body;
}

async function until<T>(
	what: string,
	cluster: Cluster,
	path: string,
	check: (object: any) => T | undefined,
): Promise<T> {
	return waitFor(what, async () => {
		const response = await cluster.request('GET', path);
		return response.status === 200 ? check(response.body) : undefined;
	});
}

const podTemplate = (
	image: string,
	annotations: Record<string, string> = {},
) => ({
	metadata: {labels: {app: 'web'}, annotations},
	spec: {containers: [{name: 'web', image}]},
});

clusterTest(
	'a Deployment rolls out to Ready, and a new image rolls it over',
	async (t, cluster) => {
		await create(cluster, '/api/v1/namespaces', {metadata: {name: 'rollout'}});
		const path = '/apis/apps/v1/namespaces/rollout/deployments';
		await create(cluster, path, {
			metadata: {name: 'web'},
			spec: {
				replicas: 2,
				selector: {matchLabels: {app: 'web'}},
				template: podTemplate('nginx:1.27'),
			},
		});
		const ready = await until(
			'the Deployment to be available',
			cluster,
			`${path}/web`,
			deployment =>
				deployment.status?.readyReplicas === 2 &&
				condition(deployment, 'Available')?.status === 'True'
					? deployment
					: undefined,
		);
		t.is(condition(ready, 'Progressing')?.reason, 'NewReplicaSetAvailable');
		const pods = await cluster.get(
			'/api/v1/namespaces/rollout/pods?labelSelector=app%3Dweb',
		);
		t.is(pods.items.length, 2);
		for (const pod of pods.items) {
			t.is(pod.status.phase, 'Running');
			t.is(pod.spec.nodeName, 'kcluster-node');
			t.is(condition(pod, 'Ready')?.status, 'True');
			t.is(condition(pod, 'PodScheduled')?.status, 'True');
			t.is(
				pod.status.containerStatuses[0].image,
				'docker.io/library/nginx:1.27',
			);
			t.truthy(pod.status.containerStatuses[0].state.running.startedAt);
		}

		const patched = await cluster.request(
			'PATCH',
			`${path}/web`,
			{
				spec: {
					template: {spec: {containers: [{name: 'web', image: 'nginx:1.28'}]}},
				},
			},
			{
				contentType: 'application/strategic-merge-patch+json',
			},
		);
		t.is(patched.status, 200);
		await until(
			'the new image to roll out',
			cluster,
			`${path}/web`,
			deployment =>
				deployment.status?.observedGeneration ===
					deployment.metadata.generation &&
				deployment.status.updatedReplicas === 2 &&
				deployment.status.readyReplicas === 2 &&
				deployment.status.replicas === 2
					? true
					: undefined,
		);
		const after = await cluster.get(
			'/api/v1/namespaces/rollout/pods?labelSelector=app%3Dweb',
		);
		t.deepEqual(
			after.items.map((pod: any) => pod.spec.containers[0].image),
			['nginx:1.28', 'nginx:1.28'],
		);
	},
);

const job = (name: string, annotations: Record<string, string> = {}) => ({
	metadata: {name},
	spec: {
		backoffLimit: 0,
		template: {
			metadata: {annotations},
			spec: {
				restartPolicy: 'Never',
				containers: [{name: 'task', image: 'busybox', command: ['true']}],
			},
		},
	},
});

clusterTest(
	'a Job completes; one asked to fail fails with the kubelet’s shapes',
	async (t, cluster) => {
		await create(cluster, '/api/v1/namespaces', {metadata: {name: 'jobs'}});
		const path = '/apis/batch/v1/namespaces/jobs/jobs';
		await create(cluster, path, job('works'));
		await create(
			cluster,
			path,
			job('breaks', {'kcluster.test/exit-code': '3'}),
		);
		const complete = await until(
			'the Job to complete',
			cluster,
			`${path}/works`,
			object =>
				condition(object, 'Complete')?.status === 'True' ? object : undefined,
		);
		t.is(complete.status.succeeded, 1);
		const failed = await until(
			'the Job to fail',
			cluster,
			`${path}/breaks`,
			object =>
				condition(object, 'Failed')?.status === 'True' ? object : undefined,
		);
		t.is(condition(failed, 'Failed')?.reason, 'BackoffLimitExceeded');
		const pods = await cluster.get(
			'/api/v1/namespaces/jobs/pods?labelSelector=job-name%3Dbreaks',
		);
		const [pod] = pods.items;
		t.is(pod.status.phase, 'Failed');
		const {terminated} = pod.status.containerStatuses[0].state;
		t.is(terminated.exitCode, 3);
		t.is(terminated.reason, 'Error');
		t.is(condition(pod, 'Ready')?.reason, 'PodFailed');
	},
);

clusterTest(
	'faults on request: image pull back-off, crash loop, a volume left pending',
	async (t, cluster) => {
		await create(cluster, '/api/v1/namespaces', {metadata: {name: 'faults'}});
		const pods = '/api/v1/namespaces/faults/pods';
		const pod = (name: string, fault: string) => ({
			metadata: {name, annotations: {'kcluster.test/fault': fault}},
			spec: podTemplate('ghcr.io/acme/app:1').spec,
		});
		await create(cluster, pods, pod('pull', 'ImagePullBackOff'));
		await create(cluster, pods, pod('crash', 'CrashLoopBackOff'));
		const waiting = await until(
			'the image pull to back off',
			cluster,
			`${pods}/pull`,
			object => object.status.containerStatuses?.[0]?.state.waiting,
		);
		t.is(waiting.reason, 'ImagePullBackOff');
		t.regex(waiting.message, /ghcr\.io\/acme\/app:1/v);
		const crashing = await until(
			'the crash loop',
			cluster,
			`${pods}/crash`,
			object => object.status.containerStatuses?.[0],
		);
		t.is(crashing.state.waiting.reason, 'CrashLoopBackOff');
		t.true(crashing.restartCount > 0);
		t.is(crashing.lastState.terminated.exitCode, 1);

		const claims = '/api/v1/namespaces/faults/persistentvolumeclaims';
		const claim = (name: string, annotations: Record<string, string> = {}) => ({
			metadata: {name, annotations},
			spec: {
				accessModes: ['ReadWriteOnce'],
				resources: {requests: {storage: '1Gi'}},
			},
		});
		const user = (name: string, claimName: string) => ({
			metadata: {name},
			spec: {
				...podTemplate('postgres:17').spec,
				volumes: [{name: 'data', persistentVolumeClaim: {claimName}}],
			},
		});
		await create(cluster, claims, claim('data'));
		await create(
			cluster,
			claims,
			claim('stuck', {'kcluster.test/fault': 'VolumePending'}),
		);
		await create(cluster, pods, user('db', 'data'));
		await create(cluster, pods, user('stuck-db', 'stuck'));
		const bound = await until(
			'the claim to bind',
			cluster,
			`${claims}/data`,
			object => (object.status.phase === 'Bound' ? object : undefined),
		);
		t.is(bound.spec.storageClassName, 'local-path');
		await until(
			'the pod with the bound claim to run',
			cluster,
			`${pods}/db`,
			object => (object.status.phase === 'Running' ? true : undefined),
		);
		const stuck = await cluster.get(`${claims}/stuck`);
		t.is(stuck.status.phase, 'Pending');
		const stuckPod = await cluster.get(`${pods}/stuck-db`);
		t.is(stuckPod.status.phase, 'Pending');
		t.is(stuckPod.spec.nodeName, undefined);
	},
);
