// The cluster and platform smoke checks against the test cluster's real API server: "not
// installed" while the platform's namespace is missing, then each check on real objects, and the
// same code judging a crash-looping pod. The API comes from the context, as inside the cluster.
import {type Check, runCheck, runChecks} from '../../source/engine/check.js';
import type {StepContext} from '../../source/engine/step.js';
import {ClusterNotRunningError} from '../../source/kube/errors.js';
import {apply, type Kube, type KubeObject} from '../../source/kube/index.js';
import {clusterChecks} from '../../steps/cluster/checks.js';
import {
	migrationsCheck,
	platformChecks,
	platformObjects,
	podsCheck,
	postgresCheck,
} from '../../steps/platform/checks.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {fakeContext} from '../helpers/fake-steps.js';
import {kubeOf} from '../helpers/kube.js';

const clusterTest = clusterTests();
const namespace = 'codex-k8s-ai-staging';

const contextWith = (kube: Kube): StepContext =>
	fakeContext({kube: async () => kube, phases: ['platform']});

async function statusOf(check: Check, context: StepContext) {
	const outcome = await runCheck(check, context);
	return outcome.status;
}

const labels = (app: string) => ({app});

const podSpec = (app: string, annotations: Record<string, string> = {}) => ({
	metadata: {labels: labels(app), annotations},
	spec: {containers: [{name: app, image: `example.test/${app}:1`}]},
});

/** The Service the platform dials, selecting pods labelled `app: <app>`. */
const postgresService = (app: string): KubeObject => ({
	apiVersion: 'v1',
	kind: 'Service',
	metadata: {name: platformObjects.postgres, namespace},
	spec: {
		selector: labels(app),
		ports: [{name: 'postgres', port: 5432, targetPort: 5432}],
	},
});

function platformObjectsFor(crashing: boolean): KubeObject[] {
	return [
		{apiVersion: 'v1', kind: 'Namespace', metadata: {name: namespace}},
		{
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'codex-k8s', namespace},
			spec: {
				replicas: 1,
				selector: {matchLabels: labels('codex-k8s')},
				template: podSpec(
					'codex-k8s',
					crashing ? {'kcluster.test/fault': 'CrashLoopBackOff'} : {},
				),
			},
		},
		{
			apiVersion: 'apps/v1',
			kind: 'StatefulSet',
			metadata: {name: platformObjects.postgres, namespace},
			spec: {
				replicas: 1,
				serviceName: 'postgres',
				selector: {matchLabels: labels('postgres')},
				template: podSpec('postgres'),
			},
		},
		postgresService('postgres'),
		{
			apiVersion: 'batch/v1',
			kind: 'Job',
			metadata: {name: platformObjects.migrations, namespace},
			spec: {
				backoffLimit: 0,
				template: {
					...podSpec('migrate'),
					spec: {...podSpec('migrate').spec, restartPolicy: 'Never'},
				},
			},
		},
	];
}

clusterTest(
	'before the platform: node Ready, every platform check "not installed"; k3s not running is "not installed" too',
	async (t, cluster) => {
		const context = contextWith(await kubeOf(cluster));
		const results = await runChecks(
			[
				...clusterChecks,
				...platformChecks.filter(check => check.reach === 'cluster'),
			],
			context,
			() => false,
		);
		const node = results.find(result => result.id === 'cluster.node-ready');
		t.is(node?.status, 'ok');
		t.regex(node?.versions?.['k3s'] ?? '', /^v1\.\d+/);
		for (const result of results.filter(item => item.phase === 'platform')) {
			t.is(result.status, 'absent', result.id);
			t.is(result.detail, `no namespace ${namespace}`);
		}

		// The installation's record says the platform was installed: missing is a failure.
		const recorded = await runChecks([podsCheck], context, () => true);
		t.is(recorded[0]?.status, 'failed');
		t.regex(recorded[0]?.detail ?? '', /although this installation made it/);

		const noCluster = fakeContext({
			async kube() {
				throw new ClusterNotRunningError('staging.example');
			},
		});
		t.is(await statusOf(clusterChecks[0]!, noCluster), 'absent');
	},
);

clusterTest(
	'with the platform: pods Ready, migrations complete, PostgreSQL ready behind its Service; a Service routing nowhere fails it; a crash-looping pod fails the pods check',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const context = contextWith(kube);
		for (const object of platformObjectsFor(false)) {
			// eslint-disable-next-line no-await-in-loop -- the namespace first
			await apply(kube, object, {force: true});
		}

		await waitFor(
			async () => (await statusOf(migrationsCheck, context)) === 'ok',
		);
		await waitFor(
			async () => (await statusOf(postgresCheck, context)) === 'ok',
		);
		await waitFor(async () => (await statusOf(podsCheck, context)) === 'ok');
		t.pass('pods, migrations and PostgreSQL are ok');
		const routed = await runCheck(postgresCheck, context);
		t.regex(
			routed.detail,
			/^1 ready; Service postgres:5432 → (?:\d+\.){3}\d+$/,
		);

		// The database is ready, but the Service the platform dials selects nothing.
		await apply(kube, postgresService('postgres-typo'), {force: true});
		await waitFor(
			async () => (await statusOf(postgresCheck, context)) === 'failed',
		);
		const nowhere = await runCheck(postgresCheck, context);
		t.is(
			nowhere.detail,
			'1 ready, but Service postgres has no ready endpoint on 5432: the platform cannot reach the database',
		);

		await apply(kube, platformObjectsFor(true)[1]!, {force: true});
		await waitFor(
			async () => (await statusOf(podsCheck, context)) === 'failed',
		);
		const failed = await runCheck(podsCheck, context);
		t.regex(failed.detail, /codex-k8s-.* (not Ready|restarted)/);
	},
);

/** Polls a condition of the cluster's controllers; the test's timeout bounds it. */
async function waitFor(condition: () => Promise<boolean>): Promise<void> {
	// eslint-disable-next-line no-await-in-loop -- polling
	while (!(await condition())) {
		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}
}
