// One deploy path, two callers: the built CLI's `build` and `deploy --in-cluster`,
// run as the deploy workflow runs them — inside "a pod" whose service account token the test
// mints and mounts, with exactly the runner phase's deployer permissions — produce the same objects as the laptop's platform phase: after the laptop
// installed, the in-cluster deploy changes nothing; after the in-cluster deploy of a new commit,
// the laptop's plan for that commit changes nothing.
import {apply, type Kube, type KubeObject} from '../../source/kube/index.js';
import {platformSecrets} from '../../steps/kit-secrets.js';
import {
	clusterRules,
	namespacedRules,
} from '../../steps/runner/deploy-access.js';
import type {Cluster} from '../helpers/cluster.js';
import {ensureBuilt, runCliAsync} from '../helpers/cli.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {kubeOf} from '../helpers/kube.js';
import {runnerPod} from '../helpers/runner-account.js';
import {
	canaries,
	planPhase,
	platformInput,
	recordingContext,
	revision,
	runPhase,
} from '../helpers/platform-phase.js';

const clusterTest = clusterTests();
const namespace = 'staging';

/** A pod's view: the API's address in the environment, its token and CA in a directory. */
async function podEnvironment(cluster: Cluster, kube: Kube) {
	const account = {
		apiVersion: 'v1',
		kind: 'ServiceAccount',
		metadata: {name: 'deployer', namespace},
	};
	await apply(kube, account, {force: true});
	// Exactly what the runner phase grants the deploy jobs: a Role here, a ClusterRole.
	const rbac = 'rbac.authorization.k8s.io/v1';
	const grants = [
		{kind: 'Role', rules: namespacedRules(), namespace},
		{kind: 'ClusterRole', rules: clusterRules(namespace)},
	];
	for (const {kind, rules, namespace: where} of grants) {
		const metadata = {
			name: 'deployer-test',
			...(where ? {namespace: where} : {}),
		};
		// eslint-disable-next-line no-await-in-loop -- a role, then its binding
		await apply(kube, {apiVersion: rbac, kind, metadata, rules}, {force: true});
		// eslint-disable-next-line no-await-in-loop
		await apply(
			kube,
			{
				apiVersion: rbac,
				kind: `${kind}Binding`,
				metadata,
				roleRef: {
					apiGroup: 'rbac.authorization.k8s.io',
					kind,
					name: 'deployer-test',
				},
				subjects: [{kind: 'ServiceAccount', name: 'deployer', namespace}],
			},
			{force: true},
		);
	}

	const pod = await runnerPod(cluster, kube, namespace, 'deployer');
	return {...pod.env, CODEXK8S_STAGING_NAMESPACE: namespace};
}

const owned = [
	'/api/v1/namespaces/NS/configmaps',
	'/api/v1/namespaces/NS/secrets',
	'/api/v1/namespaces/NS/services',
	'/apis/apps/v1/namespaces/NS/deployments',
	'/apis/apps/v1/namespaces/NS/statefulsets',
	'/apis/batch/v1/namespaces/NS/jobs',
];

/** Each object the phase owns, by kind and name, with its resource version. */
async function versions(kube: Kube): Promise<Record<string, string>> {
	const lists = await Promise.all(
		owned.map(async path =>
			kube.read<{kind: string; items: KubeObject[]}>(
				path.replace('NS', namespace),
			),
		),
	);
	return Object.fromEntries(
		lists.flatMap(list =>
			list!.items
				.filter(item => item.metadata.name !== 'kube-root-ca.crt')
				.map(item => [
					`${list!.kind} ${item.metadata.name}`,
					item.metadata.resourceVersion!,
				]),
		),
	);
}

type Report = {changes: number; steps: Array<{id: string; status: string}>};

clusterTest(
	'deploy --in-cluster after the laptop install changes nothing; the laptop after an in-cluster deploy neither',
	async (t, cluster) => {
		t.timeout(10 * 60_000);
		ensureBuilt();
		const kube = await kubeOf(cluster);
		const given = canaries();
		await runPhase(
			recordingContext(kube, platformInput(namespace, given)).context,
		);
		const env = {
			...(await podEnvironment(cluster, kube)),
			GITHUB_SHA: revision,
		};
		const before = await versions(kube);

		const deploy = await runCliAsync(['deploy', '--in-cluster', '--json'], {
			env,
		});
		t.is(deploy.code, 0, deploy.stderr);
		const report = JSON.parse(deploy.stdout) as Report;
		t.is(report.changes, 0);
		t.deepEqual(
			report.steps.map(step => step.id),
			[
				'platform.namespace',
				'platform.secrets',
				'platform.postgres',
				'platform.migrations',
				'platform.components',
				'platform.tunnel',
			],
		);
		t.deepEqual(await versions(kube), before, 'not one object written');

		// A new commit, deployed the workflow's way: built, deployed, then deployed again: nothing left.
		const next = 'c0ffee0000000000000000000000000000000001';
		const workflow = {...env, GITHUB_SHA: next};
		const changes: number[] = [];
		for (const command of ['build', 'deploy', 'deploy']) {
			// eslint-disable-next-line no-await-in-loop -- the workflow's jobs, in order
			const result = await runCliAsync([command, '--in-cluster', '--json'], {
				env: workflow,
			});
			t.is(result.code, 0, `${command}: ${result.stderr}`);
			changes.push((JSON.parse(result.stdout) as Report).changes);
			const output = `${result.stdout}${result.stderr}`;
			for (const value of Object.values(given)) {
				t.false(output.includes(value), `${command} printed a secret`);
			}
		}

		t.true(changes[0]! > 0 && changes[1]! > 0, 'built and deployed');
		t.is(changes[2], 0, 'a second deploy of the commit changes nothing');
		const builds = await kube.read<{items: KubeObject[]}>(
			`/apis/batch/v1/namespaces/${namespace}/jobs?labelSelector=${encodeURIComponent('codex-k8s.dev/build-component=api-gateway')}`,
		);
		t.deepEqual(
			builds!.items.map(job => job.metadata.name),
			['codex-k8s-build-api-gateway-c0ffee000000'],
			"the earlier commit's build Job is gone once the new one is built",
		);

		const secrets = await Promise.all(
			Object.values(platformSecrets).map(async name =>
				kube.read(`/api/v1/namespaces/${namespace}/secrets/${name}`),
			),
		);
		t.true(secrets.every(Boolean));
		const laptop = await planPhase(
			recordingContext(
				kube,
				platformInput(namespace, given, {platform: {buildRef: next}}),
			).context,
		);
		t.deepEqual(
			[...laptop.values()].filter(finding => finding.kind !== 'done'),
			[],
			'the laptop finds what it would have made',
		);

		// The smoke job: status reads the answers the install kept in the cluster, not this computer's.
		const status = await runCliAsync(['status', '--in-cluster', '--json'], {
			env: workflow,
		});
		const document = JSON.parse(status.stdout) as {
			answers: Record<string, unknown>;
			checks: Array<{id: string; status: string; detail?: string}>;
		};
		t.like(document.answers, {repository: 'acme/codex-k8s'});
		const platform = document.checks.filter(check =>
			check.id.startsWith('platform.'),
		);
		t.true(platform.length > 0);
		t.deepEqual(
			platform.filter(check => check.status === 'absent'),
			[],
			'what the install made is looked at, not taken as never installed',
		);
	},
);
