// Every object the platform phase renders, for both modes and a matrix of inputs, is accepted by
// the test cluster's real API server (its validation, through a server-side dry-run); a build
// that fails names its component, its step and its last lines, and the run resumes; a
// Deployment whose selector would change is replaced; migrations run again for a new image.
import test from 'ava';
import {inputSchema, type Input} from '../../../source/config/schema.js';
import {UserError} from '../../../source/errors.js';
import {apply, check, type KubeObject} from '../../../source/kube/index.js';
import {ingressObject} from '../../../steps/platform/access.js';
import {buildStep, platformBuild} from '../../../steps/platform/build.js';
import {buildJob} from '../../../steps/platform/build-job.js';
import {componentGroups} from '../../../steps/platform/components.js';
import {
	migrationsJob,
	platformMigrations,
} from '../../../steps/platform/migrations.js';
import {namespaceObjects} from '../../../steps/platform/namespace.js';
import {postgresObjects} from '../../../steps/platform/postgres.js';
import {platformComponents} from '../../../steps/platform/rollout.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {kubeOf} from '../../helpers/kube.js';
import {
	platformInput,
	recordingContext,
	revision,
	runPhase,
} from '../../helpers/platform-phase.js';

const clusterTest = clusterTests();

const matrix: Array<[string, Input]> = [
	['local mode, defaults', platformInput('matrix-local', {})],
	[
		'server mode, three replicas, more staff, another namespace, an Enterprise server, two images',
		platformInput(
			'codex-staging-two',
			{},
			{
				mode: 'server',
				domain: 'staging.example.com',
				acmeEmail: 'ops@example.com',
				github: {
					repo: 'acme/codex-k8s',
					apiUrl: 'https://ghe.example.com/api/v3',
					firstProjectRepo: 'acme/first-project',
				},
				platform: {
					replicas: 3,
					allowedEmails: ['a@example.com', 'b@example.com'],
					buildComponents: ['api-gateway', 'control-plane'],
					gitBotUsername: 'codex bot',
					agentLocale: 'pt-BR',
				},
			},
		),
	],
];

function everyObject(input: Input): KubeObject[] {
	const components = input.platform.buildComponents;
	return [
		...namespaceObjects(input),
		...postgresObjects(input),
		...components.map(component => buildJob(input, component, revision)),
		migrationsJob(input, revision),
		...componentGroups(input, revision).flatMap(group => group.objects),
		...(input.mode === 'server' ? [ingressObject(input)] : []),
	];
}

for (const [title, input] of matrix) {
	clusterTest(`the API accepts every object: ${title}`, async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const [namespace, ...rest] = everyObject(input);
		await apply(kube, namespace!, {force: true});
		const results = await Promise.all(
			rest.map(async object => check(kube, object, {force: true})),
		);
		t.true(results.every(result => result.state === 'new'));
		t.is(results.length, rest.length);
	});
}

test('invalid platform input is refused before anything is applied', t => {
	const refused = (platform: Record<string, unknown>) =>
		inputSchema.safeParse({mode: 'local', platform}).error?.issues[0]?.message;
	t.is(
		refused({postgresPassword: 'short'}),
		'must be 16 to 128 letters, digits and . _ ~ -',
	);
	t.regex(refused({buildComponents: ['nope']}) ?? '', /api-gateway/);
	t.is(
		refused({buildRef: 'main; rm -rf /'}),
		'must be a full commit SHA (40 hex digits) or a branch name',
	);
});

const failingBuild = [
	'#12 [build 4/6] RUN go build -o /out/api-gateway ./services/external/api-gateway',
	'#12 0.912 services/external/api-gateway/main.go:14:2: undefined: routes',
	'ERROR: failed to solve: process "/bin/sh -c go build" did not complete successfully: exit code: 1',
].join('\n');

clusterTest(
	'a failed build names the component, the step and its last lines; the run resumes',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const input = platformInput(
			'builds',
			{},
			{platform: {buildComponents: ['api-gateway']}},
		);
		const {context} = recordingContext(kube, input);
		await apply(kube, namespaceObjects(input)[0]!, {force: true});
		const failing = buildStep({
			podAnnotations: {
				'kcluster.test/exit-code': '1',
				'kcluster.test/termination-message': failingBuild,
			},
		});
		const error = await t.throwsAsync(
			failing.apply!(context, await failing.check(context)),
			{instanceOf: UserError},
		);
		t.is(
			error.message,
			'Building api-gateway (sha-a1b2c3d4e5f6) failed at its build step (exit 1)',
		);
		t.true(error.hint!.startsWith(`Last lines of build:\n${failingBuild}\n`));

		t.deepEqual(await platformBuild.check(context), {
			kind: 'new',
			changes: [
				'build 127.0.0.1:5000/codex-k8s/api-gateway:sha-a1b2c3d4e5f6 again (its last build failed)',
			],
		});
		await runPhase(context, [platformBuild]);
		t.deepEqual(await platformBuild.check(context), {kind: 'done'});
	},
);

clusterTest(
	'a Deployment whose selector would change is replaced, as the plan says',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const input = platformInput('legacy', {});
		await apply(kube, namespaceObjects(input)[0]!, {force: true});
		const labels = {app: 'codex-k8s'};
		await apply(kube, {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'codex-k8s', namespace: 'legacy'},
			spec: {
				selector: {matchLabels: labels},
				template: {
					metadata: {labels},
					spec: {
						containers: [
							{name: 'app', image: 'ghcr.io/codex-k8s/codex-k8s:latest'},
						],
					},
				},
			},
		});
		const {context} = recordingContext(kube, input);
		const finding = await platformComponents.check(context);
		t.true(
			finding.kind === 'change' &&
				finding.changes.includes(
					'replace Deployment legacy/codex-k8s: its selector changes from {"app":"codex-k8s"} to {"app.kubernetes.io/name":"codex-k8s","app.kubernetes.io/component":"api-gateway"} (a selector cannot change: deleted, then created again)',
				),
		);
		await runPhase(context, [platformComponents]);
		const live = await kube.read<KubeObject>(
			'/apis/apps/v1/namespaces/legacy/deployments/codex-k8s',
		);
		t.deepEqual((live!.spec as {selector: unknown}).selector, {
			matchLabels: {
				'app.kubernetes.io/name': 'codex-k8s',
				'app.kubernetes.io/component': 'api-gateway',
			},
		});
	},
);

clusterTest(
	'migrations run again, as a new Job, for a new control-plane image',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const first = platformInput('migrations', {});
		await apply(kube, namespaceObjects(first)[0]!, {force: true});
		await runPhase(recordingContext(kube, first).context, [platformMigrations]);
		const next = 'ffffffffffff0000000000000000000000000000';
		const {context} = recordingContext(
			kube,
			platformInput('migrations', {}, {platform: {buildRef: next}}),
		);
		t.deepEqual(await platformMigrations.check(context), {
			kind: 'change',
			changes: [
				'recreate Job migrations/codex-k8s-migrate: goose up with 127.0.0.1:5000/codex-k8s/control-plane:sha-ffffffffffff (it ran 127.0.0.1:5000/codex-k8s/control-plane:sha-a1b2c3d4e5f6)',
			],
		});
		await runPhase(context, [platformMigrations]);
		const job = await kube.read<KubeObject>(
			'/apis/batch/v1/namespaces/migrations/jobs/codex-k8s-migrate',
		);
		t.is(
			job?.metadata.annotations?.['codex-k8s.dev/image'],
			'127.0.0.1:5000/codex-k8s/control-plane:sha-ffffffffffff',
		);
		t.deepEqual(await platformMigrations.check(context), {kind: 'done'});
	},
);
