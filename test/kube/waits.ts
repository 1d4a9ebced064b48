// API bodies are loosely typed on purpose here; assertions check their shape.
// The readiness waits of source/kube/ against the test cluster: its real controllers and
// scheduler, its simulated node and helm-controller, and the faults it injects on request.
import type {ExecutionContext} from 'ava';
import {InterruptedError, UserError} from '../../source/errors.js';
import {
	apply,
	type Kube,
	type KubeObject,
	progressLine,
	waitForCertificate,
	waitForHelmChart,
	waitForJob,
	waitForNode,
	waitForRollout,
	type WaitOptions,
	type WaitProgress,
} from '../../source/kube/index.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {kubeOf} from '../helpers/kube.js';
import {type Cluster, waitFor} from '../helpers/cluster.js';

const clusterTest = clusterTests();

async function adminOf(cluster: Cluster): Promise<Kube> {
	const kube = await kubeOf(cluster);
	await apply(kube, {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name: 'waits'},
	});
	return kube;
}

/** Options that record every progress event; the limit is long enough for a busy machine. */
function recorded(
	limitMs = 3 * 60_000,
): WaitOptions & {events: WaitProgress[]} {
	const events: WaitProgress[] = [];
	return {
		limitMs,
		signal: new AbortController().signal,
		progress(event) {
			events.push(event);
		},
		events,
	};
}

const deployment = (
	name: string,
	replicas: number,
	annotations: Record<string, string> = {},
): KubeObject => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name, namespace: 'waits'},
	spec: {
		replicas,
		selector: {matchLabels: {app: name}},
		template: {
			metadata: {labels: {app: name}, annotations},
			spec: {containers: [{name: 'app', image: `ghcr.io/acme/${name}:1`}]},
		},
	},
});

function assertProgress(
	t: ExecutionContext,
	events: WaitProgress[],
	what: string,
	total: number,
): void {
	t.true(events.length > 0);
	for (const event of events) {
		t.is(event.what, what);
		t.is(event.total, total);
		t.true(event.elapsedMs <= event.limitMs + 10_000);
	}
}

clusterTest(
	'the node is registered and Ready; a missing one is said so',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		const options = recorded();
		await waitForNode(kube, 'kcluster-node', options);
		assertProgress(t, options.events, 'node kcluster-node', 1);
		t.is(options.events.at(-1)?.ready, 1);
		t.regex(
			progressLine(options.events.at(-1)!),
			/^node kcluster-node: 1 of 1 ready \(\d+ s of 3 min\)$/v,
		);
		const error = await t.throwsAsync(
			waitForNode(kube, 'elsewhere', recorded(2000)),
			{
				instanceOf: UserError,
			},
		);
		t.is(
			error.message,
			'node elsewhere: 0 of 1 ready after 2 s: not registered yet',
		);
		// Ctrl-C: the wait stops at once, whatever its limit.
		const controller = new AbortController();
		await t.throwsAsync(
			waitForNode(kube, 'elsewhere', {
				limitMs: 60 * 60_000,
				signal: controller.signal,
				progress() {
					controller.abort();
				},
			}),
			{instanceOf: InterruptedError},
		);
	},
);

clusterTest(
	'a Deployment and a StatefulSet roll out, counting ready replicas',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		await apply(kube, deployment('web', 2));
		const options = recorded();
		await waitForRollout(
			kube,
			{kind: 'Deployment', namespace: 'waits', name: 'web'},
			options,
		);
		assertProgress(t, options.events, 'Deployment waits/web', 2);
		t.is(options.events.at(-1)?.ready, 2);

		await apply(kube, {
			apiVersion: 'apps/v1',
			kind: 'StatefulSet',
			metadata: {name: 'db', namespace: 'waits'},
			spec: {
				replicas: 1,
				serviceName: 'db',
				selector: {matchLabels: {app: 'db'}},
				template: {
					metadata: {labels: {app: 'db'}},
					spec: {containers: [{name: 'db', image: 'postgres:17'}]},
				},
			},
		});
		const statefulSet = recorded();
		await waitForRollout(
			kube,
			{kind: 'StatefulSet', namespace: 'waits', name: 'db'},
			statefulSet,
		);
		assertProgress(t, statefulSet.events, 'StatefulSet waits/db', 1);
		t.is(statefulSet.events.at(-1)?.ready, 1);
	},
);

clusterTest(
	'an image that cannot be pulled fails the wait, naming the image',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		await apply(
			kube,
			deployment('pull', 1, {'kcluster.test/fault': 'ImagePullBackOff'}),
		);
		const error = await t.throwsAsync(
			waitForRollout(
				kube,
				{kind: 'Deployment', namespace: 'waits', name: 'pull'},
				recorded(),
			),
			{instanceOf: UserError},
		);
		t.regex(
			error.message,
			/^Deployment waits\/pull failed: the image ghcr\.io\/acme\/pull:1 cannot be pulled \(ImagePullBackOff: .*ghcr\.io\/acme\/pull:1/v,
		);
	},
);

clusterTest(
	'a crash loop fails the wait with its restart count, and says the logs are out of reach',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		await apply(
			kube,
			deployment('crash', 1, {'kcluster.test/fault': 'CrashLoopBackOff'}),
		);
		const error = await t.throwsAsync(
			waitForRollout(
				kube,
				{kind: 'Deployment', namespace: 'waits', name: 'crash'},
				recorded(),
			),
			{instanceOf: UserError},
		);
		t.regex(
			error.message,
			/^Deployment waits\/crash failed: container app of pod crash-\S+ keeps crashing \(restarted [1-9]\d* times, last exit code 1\)/v,
		);
		// The test cluster runs no containers: the API has no log lines to give.
		t.regex(error.message, /its log lines cannot be read through the API$/v);
	},
);

clusterTest(
	'a volume claim left pending is named when the wait gives up',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		await apply(kube, {
			apiVersion: 'apps/v1',
			kind: 'StatefulSet',
			metadata: {name: 'stuck', namespace: 'waits'},
			spec: {
				replicas: 1,
				serviceName: 'stuck',
				selector: {matchLabels: {app: 'stuck'}},
				template: {
					metadata: {labels: {app: 'stuck'}},
					spec: {
						containers: [
							{
								name: 'db',
								image: 'postgres:17',
								volumeMounts: [{name: 'data', mountPath: '/data'}],
							},
						],
					},
				},
				volumeClaimTemplates: [
					{
						metadata: {
							name: 'data',
							annotations: {'kcluster.test/fault': 'VolumePending'},
						},
						spec: {
							accessModes: ['ReadWriteOnce'],
							resources: {requests: {storage: '1Gi'}},
						},
					},
				],
			},
		});
		// Once the pod waits for its claim, no wait can be met: a short limit shows what is reported.
		await waitFor('the StatefulSet pod and its claim', async () => {
			const pod = await kube.read('/api/v1/namespaces/waits/pods/stuck-0');
			const claim = await kube.read(
				'/api/v1/namespaces/waits/persistentvolumeclaims/data-stuck-0',
			);
			return pod && claim ? true : undefined;
		});
		const error = await t.throwsAsync(
			waitForRollout(
				kube,
				{kind: 'StatefulSet', namespace: 'waits', name: 'stuck'},
				recorded(3000),
			),
			{instanceOf: UserError},
		);
		t.regex(
			error.message,
			/^StatefulSet waits\/stuck: 0 of 1 ready after 3 s: the volume claim data-stuck-0 is Pending: no volume was provisioned for it \(storage class local-path\)/v,
		);
	},
);

const job = (
	name: string,
	annotations: Record<string, string> = {},
): KubeObject => ({
	apiVersion: 'batch/v1',
	kind: 'Job',
	metadata: {name, namespace: 'waits'},
	spec: {
		backoffLimit: 0,
		template: {
			metadata: {annotations},
			spec: {
				restartPolicy: 'Never',
				containers: [{name: 'task', image: 'busybox:1'}],
			},
		},
	},
});

clusterTest(
	'a Job completes; a failed one says how it ended',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		await apply(kube, job('works'));
		const options = recorded();
		await waitForJob(kube, 'waits', 'works', options);
		assertProgress(t, options.events, 'Job waits/works', 1);
		t.is(options.events.at(-1)?.ready, 1);

		await apply(kube, job('breaks', {'kcluster.test/exit-code': '3'}));
		const error = await t.throwsAsync(
			waitForJob(kube, 'waits', 'breaks', recorded()),
			{
				instanceOf: UserError,
			},
		);
		t.regex(
			error.message,
			/^Job waits\/breaks failed: BackoffLimitExceeded: .*container task of pod breaks-\S+ exited with code 3 \(Error\)/v,
		);
	},
);

const helmChart = (
	name: string,
	spec: Record<string, unknown>,
): KubeObject => ({
	apiVersion: 'helm.cattle.io/v1',
	kind: 'HelmChart',
	metadata: {name, namespace: 'kube-system'},
	spec,
});

clusterTest(
	'a HelmChart is installed (cert-manager), a failing one says Helm’s error; a certificate becomes Ready',
	async (t, cluster) => {
		const kube = await adminOf(cluster);
		await apply(
			kube,
			helmChart('cert-manager', {
				repo: 'https://charts.jetstack.io',
				chart: 'cert-manager',
				targetNamespace: 'cert-manager',
				createNamespace: true,
				valuesContent: 'crds:\n  enabled: true\n',
			}),
		);
		const options = recorded(10 * 60_000);
		await waitForHelmChart(kube, 'kube-system', 'cert-manager', options);
		assertProgress(t, options.events, 'Helm chart kube-system/cert-manager', 1);
		t.is(options.events.at(-1)?.ready, 1);

		await apply(
			kube,
			helmChart('gives-up', {
				chart:
					'oci://ghcr.io/actions/actions-runner-controller-charts/gha-runner-scale-set',
				targetNamespace: 'arc-runners',
				backOffLimit: 0,
				valuesContent: 'githubConfigUrl: ""\n',
			}),
		);
		const error = await t.throwsAsync(
			waitForHelmChart(kube, 'kube-system', 'gives-up', recorded(10 * 60_000)),
			{instanceOf: UserError},
		);
		t.regex(
			error.message,
			/^Helm chart kube-system\/gives-up failed: container helm of pod helm-install-gives-up-\S+ keeps crashing \(restarted [1-9]\d* times, last exit code 1\): Error: execution error at \(gha-runner-scale-set\/templates/v,
		);

		await apply(kube, {
			apiVersion: 'cert-manager.io/v1',
			kind: 'Certificate',
			metadata: {name: 'web', namespace: 'waits'},
			spec: {
				secretName: 'web-tls',
				dnsNames: ['staging.example.com'],
				issuerRef: {name: 'codex-k8s-letsencrypt', kind: 'ClusterIssuer'},
			},
		});
		const notYet = await t.throwsAsync(
			waitForCertificate(kube, 'waits', 'web', recorded(2000)),
			{instanceOf: UserError},
		);
		t.is(
			notYet.message,
			'certificate waits/web: 0 of 1 ready after 2 s: not issued yet',
		);
		// No cert-manager controller runs here (no ACME): the test writes the Ready condition
		// its controller would, through the status subresource.
		await kube.request(
			'PATCH',
			'/apis/cert-manager.io/v1/namespaces/waits/certificates/web/status',
			{
				body: {
					apiVersion: 'cert-manager.io/v1',
					kind: 'Certificate',
					metadata: {name: 'web', namespace: 'waits'},
					status: {
						conditions: [
							{
								type: 'Ready',
								status: 'True',
								reason: 'Ready',
								message: 'issued',
								lastTransitionTime: new Date().toISOString(),
							},
						],
					},
				},
				contentType: 'application/apply-patch+yaml',
				query: {fieldManager: 'cert-manager-stand-in', force: 'true'},
			},
		);
		const issued = recorded();
		await waitForCertificate(kube, 'waits', 'web', issued);
		t.is(issued.events.at(-1)?.ready, 1);
	},
);
