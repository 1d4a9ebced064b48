/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return, @typescript-eslint/no-unsafe-argument */
// API bodies are loosely typed on purpose here; assertions check their shape.
// The simulated helm-controller renders ARC's real charts with Helm and applies them.
import {clusterTests} from '../helpers/cluster/ava.js';
import {type Cluster, condition, waitFor} from '../helpers/cluster.js';

const clusterTest = clusterTests();
const charts = '/apis/helm.cattle.io/v1/namespaces/kube-system/helmcharts';

type ChartRequest = {
	name: string;
	/** One of ARC's charts. */
	chart: string;
	targetNamespace: string;
	valuesContent: string;
	/** How often the helm-install Job retries; helm-controller's default is 1000. */
	backOffLimit?: number;
};

/** Applies a HelmChart as the installer would, for one of ARC's charts. */
async function applyChart(
	cluster: Cluster,
	{name, chart, targetNamespace, valuesContent, backOffLimit}: ChartRequest,
): Promise<void> {
	const manifest = {
		apiVersion: 'helm.cattle.io/v1',
		kind: 'HelmChart',
		metadata: {name, namespace: 'kube-system'},
		spec: {
			chart: `oci://ghcr.io/actions/actions-runner-controller-charts/${chart}`,
			targetNamespace,
			createNamespace: true,
			backOffLimit,
			valuesContent,
		},
	};
	const response = await cluster.request(
		'PATCH',
		`${charts}/${name}`,
		JSON.stringify(manifest),
		{
			contentType: 'application/apply-patch+yaml',
			query: {fieldManager: 'codex-k8s-install', force: 'true'},
		},
	);
	if (response.status !== 200 && response.status !== 201) {
		throw new Error(
			`HelmChart ${name}: ${response.status} ${JSON.stringify(response.body)}`,
		);
	}
}

const jobs = '/apis/batch/v1/namespaces/kube-system/jobs';

/** How the chart's helm-install Job ended; `previous` is the uid of a Job run for earlier values. */
async function jobOutcome(
	cluster: Cluster,
	name: string,
	previous?: string,
): Promise<string> {
	return waitFor(
		`helm-install-${name} to finish`,
		async () => {
			const response = await cluster.request(
				'GET',
				`${jobs}/helm-install-${name}`,
			);
			if (response.status !== 200 || response.body.metadata.uid === previous) {
				return undefined;
			}

			for (const type of ['Complete', 'Failed'] as const) {
				if (condition(response.body, type)?.status === 'True') {
					return type;
				}
			}

			// Retrying (helm-controller's default backOffLimit is 1000): Helm's error, to show.
			const pods = await cluster.get(
				`/api/v1/namespaces/kube-system/pods?labelSelector=controller-uid%3D${response.body.metadata.uid as string}`,
			);
			const helm = pods.items[0]?.status.containerStatuses?.[0];
			return helm?.state.waiting?.reason === 'CrashLoopBackOff'
				? `retrying: ${helm.lastState.terminated.message as string}`
				: undefined;
		},
		180_000,
	);
}

clusterTest(
	'the HelmChart CRDs are served with their schema',
	async (t, cluster) => {
		const refused = await cluster.request('POST', charts, {
			apiVersion: 'helm.cattle.io/v1',
			kind: 'HelmChart',
			metadata: {name: 'bad'},
			spec: {chart: 'x', failurePolicy: 'sometimes'},
		});
		t.is(refused.status, 422);
		t.regex(refused.body.message, /failurePolicy/v);
		const configs = await cluster.get(
			'/apis/helm.cattle.io/v1/helmchartconfigs',
		);
		t.is(configs.kind, 'HelmChartConfigList');
	},
);

clusterTest(
	'ARC’s scale set chart: a wrong value fails to render, the right values install it',
	async (t, cluster) => {
		await applyChart(cluster, {
			name: 'arc',
			chart: 'gha-runner-scale-set-controller',
			targetNamespace: 'arc-systems',
			valuesContent: '',
		});
		t.is(await jobOutcome(cluster, 'arc'), 'Complete');
		await waitFor('the ARC controller Deployment', async () => {
			const response = await cluster.request(
				'GET',
				'/apis/apps/v1/namespaces/arc-systems/deployments',
			);
			return response.body.items?.length === 1 ? true : undefined;
		});

		const wrong =
			'githubConfigUrl: https://github.com/acme/platform\ngithubConfigSecret: arc-github\nminRunners: 2\nmaxRunners: 1\n';
		await applyChart(cluster, {
			name: 'acme-staging',
			chart: 'gha-runner-scale-set',
			targetNamespace: 'arc-runners',
			valuesContent: wrong,
		});
		// Helm-controller retries (1000 times by default): the install pod crash-loops, and its
		// container's last termination carries Helm's error.
		const helm = await waitFor(
			'the helm-install pod to crash-loop',
			async () => {
				const pods = await cluster.get(
					'/api/v1/namespaces/kube-system/pods?labelSelector=job-name%3Dhelm-install-acme-staging',
				);
				const status = pods.items[0]?.status.containerStatuses?.[0];
				return status?.state.waiting?.reason === 'CrashLoopBackOff'
					? status
					: undefined;
			},
		);
		t.regex(
			helm.lastState.terminated.message,
			/maxRunners has to be greater or equal to minRunners/v,
		);
		const retrying = await cluster.get(`${charts}/acme-staging`);
		t.is(condition(retrying, 'JobCreated')?.status, 'True');
		t.is(condition(retrying, 'Failed')?.status, 'False');
		const sets = await cluster.request(
			'GET',
			'/apis/actions.github.com/v1alpha1/namespaces/arc-runners/autoscalingrunnersets',
		);
		t.is(sets.status, 200, JSON.stringify(sets.body));
		t.deepEqual(sets.body.items, []);

		const failedJob = await cluster.get(`${jobs}/helm-install-acme-staging`);
		await applyChart(cluster, {
			name: 'acme-staging',
			chart: 'gha-runner-scale-set',
			targetNamespace: 'arc-runners',
			valuesContent: wrong.replace('maxRunners: 1', 'maxRunners: 3'),
		});
		t.is(
			await jobOutcome(cluster, 'acme-staging', failedJob.metadata.uid),
			'Complete',
		);
		const set = await cluster.get(
			'/apis/actions.github.com/v1alpha1/namespaces/arc-runners/autoscalingrunnersets/acme-staging',
		);
		t.is(set.spec.githubConfigUrl, 'https://github.com/acme/platform');
		t.is(set.spec.maxRunners, 3);
		const chart = await cluster.get(`${charts}/acme-staging`);
		t.is(condition(chart, 'Failed')?.status, 'False');
		t.is(chart.status.jobName, 'helm-install-acme-staging');
	},
);

clusterTest(
	'a HelmChart whose Job gives up is marked Failed',
	async (t, cluster) => {
		await applyChart(cluster, {
			name: 'gives-up',
			chart: 'gha-runner-scale-set',
			targetNamespace: 'arc-runners',
			valuesContent: 'githubConfigUrl: ""\n',
			backOffLimit: 0,
		});
		const failed = await waitFor(
			'the HelmChart to report the failure',
			async () => {
				const chart = await cluster.get(`${charts}/gives-up`);
				return condition(chart, 'Failed')?.status === 'True'
					? chart
					: undefined;
			},
		);
		t.is(condition(failed, 'Failed')?.reason, 'Job failed');
		t.is(
			condition(failed, 'Failed')?.message,
			'Job has reached configured number of retries without succeeding',
		);
		const job = await cluster.get(`${jobs}/helm-install-gives-up`);
		t.is(condition(job, 'Failed')?.reason, 'BackoffLimitExceeded');
	},
);

clusterTest(
	'cert-manager’s chart installs its CRDs and Deployments, without webhook registrations',
	async (t, cluster) => {
		const response = await cluster.request('POST', charts, {
			apiVersion: 'helm.cattle.io/v1',
			kind: 'HelmChart',
			metadata: {name: 'cert-manager'},
			spec: {
				repo: 'https://charts.jetstack.io',
				chart: 'cert-manager',
				targetNamespace: 'cert-manager',
				createNamespace: true,
				valuesContent: 'crds:\n  enabled: true\n',
			},
		});
		t.is(response.status, 201);
		t.is(await jobOutcome(cluster, 'cert-manager'), 'Complete');
		const deployments = await cluster.get(
			'/apis/apps/v1/namespaces/cert-manager/deployments',
		);
		t.deepEqual(
			deployments.items
				.map((deployment: any) => deployment.metadata.name)
				.toSorted(),
			['cert-manager', 'cert-manager-cainjector', 'cert-manager-webhook'],
		);
		const issuers = await cluster.get(
			'/apis/apiextensions.k8s.io/v1/customresourcedefinitions/clusterissuers.cert-manager.io',
		);
		t.is(issuers.spec.group, 'cert-manager.io');
		const webhooks = await cluster.get(
			'/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
		);
		t.deepEqual(webhooks.items, []);
	},
);
