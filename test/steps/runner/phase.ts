/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- API bodies are read loosely; assertions check their shape */
// The runner phase against the test cluster's real API server and the simulated helm-controller
// (which renders ARC's chart 0.6.1 from its Go module, not the pinned 0.14.2: docs/runner.md),
// linked to the GitHub stand-in as ARC links a cluster to GitHub.
import type {ExecutionContext} from 'ava';
import type {InputSource, Phase} from '../../../source/config/schema.js';
import type {Step, StepContext} from '../../../source/engine/step.js';
import type {UserError} from '../../../source/errors.js';
import {apply, type Kube} from '../../../source/kube/index.js';
import {fakeSecret} from '../../helpers/secrets.js';
import {pins} from '../../../source/pins.js';
import {renderWorkflow, workflowPath} from '../../../source/github/workflow.js';
import {runnerController} from '../../../steps/runner/controller.js';
import {
	deployerRbac,
	runnerServiceAccount,
} from '../../../steps/runner/deployer-rbac.js';
import {runnerScaleSet} from '../../../steps/runner/scale-set.js';
import {runnerTokenSecret} from '../../../steps/runner/token-secret.js';
import {deployRunStep} from '../../../steps/verify/deploy-run.js';
import {runnerOnlineStep} from '../../../steps/verify/runner-online.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {type Cluster, waitFor} from '../../helpers/cluster.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {linkRunners} from '../../helpers/github/runner-link.js';
import {
	fullToken,
	type GitHubStandIn,
	startGitHubStandIn,
} from '../../helpers/github/server.js';
import {allFine} from '../../helpers/github/tokens.js';
import {kubeOf} from '../../helpers/kube.js';

const clusterTest = clusterTests();
const pauses = {delayMs: 20, maxDelayMs: 100};
const phases: Phase[] = ['cluster', 'platform', 'runner', 'verify'];

type Setup = {
	extra: InputSource;
	token?: string;
	tokens?: Parameters<typeof startGitHubStandIn>[0];
};

async function setUp(
	t: ExecutionContext,
	cluster: Cluster,
	{extra, token = fullToken, tokens = {}}: Setup,
) {
	const standIn = await startGitHubStandIn(tokens);
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, token, {
		timeouts: {rollout: 180, runner: 20, deployRun: 30},
		...extra,
	});
	const kube = await kubeOf(cluster);
	const lines: string[] = [];
	const context: StepContext = {
		...standInContext(client, phases, line => lines.push(line)),
		kube: async () => kube,
	};
	// The platform phase makes the staging namespace; the deployer's Role lives in it.
	await apply(kube, {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name: context.input.platform.namespace},
	});
	return {standIn, kube, context, lines};
}

/** Check, apply, verify; then the step finds nothing left to do. */
async function converge(t: ExecutionContext, step: Step, context: StepContext) {
	const finding = await step.check(context);
	t.true(
		finding.kind === 'new' ||
			finding.kind === 'change' ||
			finding.kind === 'done',
		`${step.id}: ${JSON.stringify(finding)}`,
	);
	if (finding.kind !== 'done') {
		await step.apply!(context, finding);
		await step.verify!(context);
	}

	t.deepEqual(await step.check(context), {kind: 'done'}, step.id);
}

const runnerSet = async (
	kube: Kube,
	namespace: string,
	name: string,
): Promise<any> =>
	kube.read(
		`/apis/actions.github.com/v1alpha1/namespaces/${namespace}/autoscalingrunnersets/${name}`,
	);

function listed(standIn: GitHubStandIn, label: string) {
	return standIn.repo.runners.filter(runner => runner.labels.includes(label));
}

clusterTest(
	'local mode: ARC, the token Secret, one warm runner the stand-in lists, the deployer bound to the chart’s account; converged after',
	async (t, cluster) => {
		const {standIn, kube, context, lines} = await setUp(t, cluster, {
			extra: {
				mode: 'local',
				runner: {namespace: 'arc-local', scaleSetName: 'acme-local'},
			},
		});
		const link = linkRunners(kube, standIn);
		t.teardown(() => {
			link.stop();
		});
		t.like(await runnerController.check(context), {
			kind: 'new',
			changes: ['create HelmChart kube-system/gha-rs-controller'],
		});
		for (const step of [runnerController, runnerTokenSecret, runnerScaleSet]) {
			// eslint-disable-next-line no-await-in-loop -- in order, as the phase runs
			await converge(t, step, context);
		}

		t.true(
			lines.some(line =>
				line.startsWith('Helm chart kube-system/gha-rs-controller: '),
			),
		);
		const chart = await kube.read<any>(
			'/apis/helm.cattle.io/v1/namespaces/kube-system/helmcharts/acme-local',
		);
		t.is(chart.spec.version, pins.arcChart);
		const set = await runnerSet(kube, 'arc-local', 'acme-local');
		t.like(set.spec, {
			githubConfigUrl: `${standIn.url}/acme/platform`,
			githubConfigSecret: 'gha-runner-scale-set-secret',
			runnerScaleSetName: 'acme-local',
			minRunners: 1,
			maxRunners: 1,
		});
		t.deepEqual(
			(set.spec.template.spec.containers as Array<{image: string}>).map(
				each => each.image,
			),
			[pins.runnerImage],
		);
		t.is(
			set.spec.template.spec.initContainers,
			undefined,
			'no docker-in-docker',
		);

		await waitFor('the stand-in to list the warm runner', () =>
			listed(standIn, 'acme-local').length === 1 ? true : undefined,
		);
		t.like(await runnerOnlineStep(pauses).check(context), {kind: 'done'});

		await converge(t, deployerRbac, context);
		const account = await runnerServiceAccount(kube, context.input);
		t.is(account, set.spec.template.spec.serviceAccountName);
		t.truthy(
			await kube.read(
				`/api/v1/namespaces/arc-local/serviceaccounts/${account}`,
			),
			'the chart made the account the binding names',
		);
		const binding = await kube.read<any>(
			`/apis/rbac.authorization.k8s.io/v1/namespaces/${context.input.platform.namespace}/rolebindings/codex-k8s-staging-deployer`,
		);
		t.deepEqual(binding.subjects, [
			{kind: 'ServiceAccount', name: account, namespace: 'arc-local'},
		]);
		for (const step of [
			runnerController,
			runnerTokenSecret,
			runnerScaleSet,
			deployerRbac,
		]) {
			t.deepEqual(
				// eslint-disable-next-line no-await-in-loop -- one after the other, as a re-run
				await step.check(context),
				{kind: 'done'},
				`re-check ${step.id}`,
			);
		}

		t.deepEqual(
			standIn.writes(),
			[],
			'the runner phase writes nothing to GitHub',
		);
		t.deepEqual(standIn.violations, []);
	},
);

clusterTest(
	'server mode: min 0 lists no runner until a job arrives; the dispatched run is followed job by job to green',
	async (t, cluster) => {
		const {standIn, kube, context, lines} = await setUp(t, cluster, {
			extra: {
				mode: 'server',
				domain: 'staging.example.com',
				runner: {namespace: 'arc-server', scaleSetName: 'acme-server', max: 3},
			},
		});
		standIn.repo.files.set(
			workflowPath,
			renderWorkflow(context.input, '0.1.0'),
		);
		const link = linkRunners(kube, standIn);
		t.teardown(() => {
			link.stop();
		});
		const played: string[] = [];
		// The seam for the platform issue's commands: each job here would run the built CLI's
		// `build/deploy/status --in-cluster` with the runner account's token.
		standIn.repo.jobPlayer = async job => {
			played.push(job.name);
			return true;
		};

		for (const step of [runnerController, runnerTokenSecret, runnerScaleSet]) {
			// eslint-disable-next-line no-await-in-loop
			await converge(t, step, context);
		}

		const set = await runnerSet(kube, 'arc-server', 'acme-server');
		t.like(set.spec, {
			minRunners: 0,
			maxRunners: 3,
		});
		// A moment for the link to have looked: still nothing listed with min 0.
		await waitFor('the link to see the scale set', async () =>
			(await runnerSet(kube, 'arc-server', 'acme-server')) ? true : undefined,
		);
		t.deepEqual(listed(standIn, 'acme-server'), []);
		t.like(await runnerOnlineStep(pauses).check(context), {
			kind: 'done',
			note: 'no runner is listed while none is needed (minimum 0): the deploy run proves the scale set',
		});

		const step = deployRunStep(pauses);
		const note = await step.apply!(context, await step.check(context));
		t.regex(
			note as string,
			/^run https:\/\/github\.com\/acme\/platform\/actions\/runs\/\d+: success$/,
		);
		t.deepEqual(played, [
			'Build images in the cluster',
			'Deploy codex-k8s to ai-staging',
			'Smoke checks',
		]);
		t.true(
			lines.some(line =>
				line.includes('Deploy codex-k8s to ai-staging: in_progress'),
			),
		);
		t.deepEqual(standIn.violations, []);
	},
);

clusterTest(
	'a run that fails in deploy names the job, the step, the run and what to do',
	async (t, cluster) => {
		const {standIn, kube, context} = await setUp(t, cluster, {
			extra: {
				mode: 'local',
				runner: {namespace: 'arc-failing', scaleSetName: 'acme-failing'},
			},
		});
		standIn.repo.files.set(
			workflowPath,
			renderWorkflow(context.input, '0.1.0'),
		);
		const link = linkRunners(kube, standIn);
		t.teardown(() => {
			link.stop();
		});
		standIn.repo.jobPlayer = async job => !/deploy/i.test(job.name);
		await converge(t, runnerTokenSecret, context);
		await converge(t, runnerScaleSet, context);
		const step = deployRunStep(pauses);
		const error = await t.throwsAsync(
			step.apply!(context, await step.check(context)),
		);
		t.regex(
			error.message,
			/^The deploy run failed in job "Deploy codex-k8s to ai-staging", step "Deploy": https:\/\/github\.com\/acme\/platform\/actions\/runs\/\d+$/,
		);
		t.regex((error as UserError).hint!, /deploy --in-cluster/);
		t.regex((error as UserError).hint!, /install --only verify/);
	},
);

clusterTest(
	'a token without Administration: the runner phase stops before writing, naming the permission and the fix',
	async (t, cluster) => {
		const weak = fakeSecret('github_pat_');
		const {administration: _, ...rest} = allFine;
		const {standIn, kube, context} = await setUp(t, cluster, {
			extra: {
				mode: 'local',
				runner: {namespace: 'arc-weak', scaleSetName: 'acme-weak'},
			},
			token: weak,
			tokens: {tokens: {[weak]: {kind: 'fine-grained', permissions: rest}}},
		});
		const finding = await runnerTokenSecret.check(context);
		t.like(finding, {kind: 'blocked'});
		if (finding.kind !== 'blocked') {
			return;
		}

		t.regex(
			finding.problem,
			/may not manage the self-hosted runners of acme\/platform \(403: GitHub asks for Administration \(read\)\)/,
		);
		t.regex(finding.hint!, /Administration: Read and write/);
		t.regex(finding.hint!, /settings\/personal-access-tokens/);
		t.is(await kube.read('/api/v1/namespaces/arc-weak'), undefined);

		// The verify phase, reading the runners with the same token, says the same.
		const error = await t.throwsAsync(runnerOnlineStep(pauses).check(context));
		t.regex(
			error.message,
			/may not list the self-hosted runners of acme\/platform/,
		);
		t.regex((error as UserError).hint!, /Administration: Read and write/);
		t.deepEqual(standIn.writes(), []);
	},
);
