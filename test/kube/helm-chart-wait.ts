// A HelmChart whose values change is ready only once helm-controller ran them: until it replaces
// the install Job, the completed Job there is that of the values before.
import test from 'ava';
import {fieldManager} from '../../source/kube/apply.js';
import {
	apply,
	type Kube,
	type KubeObject,
	waitForHelmChart,
	type WaitProgress,
} from '../../source/kube/index.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {waitFor} from '../helpers/cluster.js';
import {kubeOf} from '../helpers/kube.js';

const clusterTest = clusterTests();

const chart = (valuesContent: string): KubeObject => ({
	apiVersion: 'helm.cattle.io/v1',
	kind: 'HelmChart',
	metadata: {name: 'cert-manager', namespace: 'kube-system'},
	spec: {
		repo: 'https://charts.jetstack.io',
		chart: 'cert-manager',
		targetNamespace: 'cert-manager',
		createNamespace: true,
		valuesContent,
	},
});

const jobPath =
	'/apis/batch/v1/namespaces/kube-system/jobs/helm-install-cert-manager';

const options = () => ({
	limitMs: 10 * 60_000,
	signal: new AbortController().signal,
});

clusterTest(
	'new values: the wait ends on the install Job helm-controller made for them, not the one before',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		await apply(kube, chart('crds:\n  enabled: true\n'), {force: true});
		await waitForHelmChart(kube, 'kube-system', 'cert-manager', options());
		const before = await kube.read<KubeObject>(jobPath);

		await apply(kube, chart('crds:\n  enabled: true\nreplicaCount: 2\n'), {
			force: true,
		});
		await waitForHelmChart(kube, 'kube-system', 'cert-manager', options());
		const after = await kube.read<KubeObject>(jobPath);
		t.truthy(before?.metadata['uid']);
		t.not(after?.metadata['uid'], before?.metadata['uid']);
	},
);

/** An API that answers reads from a map the test changes. */
function readsFrom(objects: Map<string, unknown>): Kube {
	return {
		where: 'the test API',
		async request() {
			throw new Error('only reads expected');
		},
		async read<T>(path: string) {
			return objects.get(path) as T | undefined;
		},
	};
}

test('a completed Job older than the installer’s last change of the values is not taken as done', async t => {
	const base = '/apis/helm.cattle.io/v1/namespaces/kube-system';
	const job = (created: string, uid: string) => ({
		metadata: {name: 'helm-install-traefik', creationTimestamp: created, uid},
		spec: {completions: 1},
		status: {succeeded: 1, conditions: [{type: 'Complete', status: 'True'}]},
	});
	const objects = new Map<string, unknown>([
		[
			`${base}/helmcharts/traefik`,
			{metadata: {}, status: {jobName: 'helm-install-traefik'}},
		],
		[
			`${base}/helmchartconfigs/traefik`,
			{
				metadata: {
					managedFields: [
						{manager: fieldManager, time: '2026-12-02T10:00:05Z'},
						// Helm-controller's own later writes do not count.
						{manager: 'helm-controller', time: '2026-12-02T10:09:00Z'},
					],
				},
			},
		],
		[
			'/apis/batch/v1/namespaces/kube-system/jobs/helm-install-traefik',
			job('2026-12-02T09:00:00Z', 'old'),
		],
	]);
	const events: WaitProgress[] = [];
	let done = false;
	const waited = waitForHelmChart(
		readsFrom(objects),
		'kube-system',
		'traefik',
		{
			limitMs: 10 * 60_000,
			signal: new AbortController().signal,
			progress(event) {
				events.push(event);
			},
		},
	).then(() => {
		done = true;
	});
	await waitFor('the stale Job seen', () =>
		events.some(event => event.note?.includes('for the current values'))
			? true
			: undefined,
	);
	t.false(done);
	objects.set(
		'/apis/batch/v1/namespaces/kube-system/jobs/helm-install-traefik',
		job('2026-12-02T10:00:05Z', 'new'),
	);
	await waited;
	t.true(done);
});
