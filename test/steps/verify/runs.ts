import test, {type ExecutionContext} from 'ava';
import type {InputSource, Phase} from '../../../source/config/schema.js';
import {UserError} from '../../../source/errors.js';
import {makePlan} from '../../../source/engine/plan.js';
import {selectSteps, unbuiltPhases} from '../../../source/engine/registry.js';
import {runSteps} from '../../../source/engine/runner.js';
import type {StepContext} from '../../../source/engine/step.js';
import {dispatchAndFollow} from '../../../source/github/runs.js';
import {renderWorkflow, workflowPath} from '../../../source/github/workflow.js';
import {allSteps} from '../../../steps/index.js';
import {deployRunStep} from '../../../steps/verify/deploy-run.js';
import {runnerOnlineStep} from '../../../steps/verify/runner-online.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {startGitHubStandIn} from '../../helpers/github/server.js';

/*
Runner and run steps against the GitHub stand-in, which plays a dispatched run from the jobs of
the workflow file in the repository and moves it only while an online runner carries its label.
*/

const pauses = {delayMs: 10, maxDelayMs: 40};
const runner = {
	id: 1,
	name: 'codex-k8s-ai-staging-x7k2p',
	status: 'online' as const,
	busy: false,
	labels: ['self-hosted', 'codex-k8s-ai-staging'],
};

async function setUp(t: ExecutionContext, extra: InputSource = {}) {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, undefined, {
		timeouts: {runner: 1, deployRun: 5},
		...extra,
	});
	standIn.repo.files.set(workflowPath, renderWorkflow(client.input, '0.1.0'));
	const contextFor = (phases: Phase[]): StepContext & {lines: string[]} => {
		const lines: string[] = [];
		const output = (line: string) => {
			lines.push(line);
		};

		return {...standInContext(client, phases, output), lines};
	};

	return {standIn, gh: client.gh, contextFor};
}

test('runner online: waits for the runner a run installs; missing, it blocks a run that installs none', async t => {
	const {standIn, contextFor} = await setUp(t);
	const step = runnerOnlineStep(pauses);
	const installing = contextFor(['runner', 'verify']);
	const finding = await step.check(installing);
	t.is(finding.kind, 'new');
	setTimeout(() => standIn.repo.runners.push({...runner}), 100);
	t.is(await step.apply!(installing, finding), `${runner.name} (online)`);
	t.like(await step.check(contextFor(['verify'])), {kind: 'done'});

	standIn.repo.runners[0]!.status = 'offline';
	t.like(await step.check(contextFor(['verify'])), {
		kind: 'blocked',
		problem: `no runner of scale set codex-k8s-ai-staging is online (${runner.name} (offline))`,
	});
	const error = await t.throwsAsync(step.apply!(installing, finding), {
		instanceOf: UserError,
	});
	t.regex(error.message, /came online in 1 s/);
	t.regex(
		error.hint!,
		/logs -l actions\.github\.com\/scale-set-name=codex-k8s-ai-staging/,
	);
	t.regex(error.hint!, /Administration: Read and write/);
	t.regex(error.hint!, /install --only runner,verify/);
	t.deepEqual(standIn.violations, []);
});

test('deploy run: queued while no runner is online; followed job by job to green, with its URL', async t => {
	const {standIn, gh, contextFor} = await setUp(t);
	const error = await t.throwsAsync(
		dispatchAndFollow(gh, 'main', {
			...pauses,
			timeoutMs: 300,
			signal: new AbortController().signal,
		}),
		{instanceOf: UserError},
	);
	t.regex(error.message, /did not finish in time \(last seen: queued\)/);
	t.regex(error.hint!, /No runner picked it up/);

	standIn.repo.runners.push({...runner});
	const step = deployRunStep(pauses);
	const context = contextFor(['verify']);
	const note = await step.apply!(context, await step.check(context));
	t.regex(
		note as string,
		/^run https:\/\/github\.com\/acme\/platform\/actions\/runs\/\d+: success$/,
	);
	t.true(
		context.lines.some(line =>
			/^run \d+ in_progress: Build images in the cluster: in_progress \(.+\), Deploy [^:]+: queued, Smoke checks: queued$/.test(
				line,
			),
		),
	);
	t.regex(
		context.lines.at(-1)!,
		/completed: .*: success, .*: success, .*: success$/,
	);
	t.deepEqual(standIn.violations, []);
});

test('deploy run: a failed run names its jobs', async t => {
	const {standIn, contextFor} = await setUp(t);
	standIn.repo.runners.push({...runner});
	standIn.repo.nextConclusion = 'failure';
	const step = deployRunStep(pauses);
	const context = contextFor(['verify']);
	const error = await t.throwsAsync(
		step.apply!(context, await step.check(context)),
		{instanceOf: UserError},
	);
	t.regex(
		error.message,
		/^The deploy run failed in job "Deploy codex-k8s to ai-staging", step "Deploy": https:\/\//,
	);
	t.regex(error.hint!, /: failure\n.*: skipped\n/);
	t.regex(error.hint!, /install --only verify/);
	t.deepEqual(standIn.violations, []);
});

test('with every phase built, verify checks the runner and plans the deploy run', async t => {
	const {standIn, contextFor} = await setUp(t);
	const context = contextFor(['verify']);
	const plan = await makePlan(
		selectSteps(allSteps, context.input, ['verify']),
		context,
		{probe: true, unbuilt: unbuiltPhases(allSteps)},
	);
	const verify = new Map(
		plan.steps
			.filter(step => step.phase === 'verify')
			.map(step => [step.id, step.finding]),
	);
	t.deepEqual(verify.get('verify.runner-online'), {
		kind: 'blocked',
		problem: 'no runner of scale set codex-k8s-ai-staging is online',
		hint: 'Run the runner phase again (`install --only runner`), or see the listener pod in the runner namespace.',
	});
	t.is(verify.get('verify.deploy-run')?.kind, 'new');
	t.deepEqual(standIn.writes(), []);
});

test('once the runner and platform phases exist, the run reports the deploy run’s URL', async t => {
	const {standIn, contextFor} = await setUp(t);
	const steps = [runnerOnlineStep(pauses), deployRunStep(pauses)];
	const context = contextFor(['runner', 'verify']);
	const plan = await makePlan(steps, context, {probe: true, unbuilt: []});
	setTimeout(() => standIn.repo.runners.push({...runner}), 50);
	const result = await runSteps(steps, context, {
		command: 'install',
		dryRun: false,
		plan,
		sink() {},
	});
	t.true(result.ok);
	t.deepEqual(
		result.steps.map(step => [step.id, step.status]),
		[
			['verify.runner-online', 'changed'],
			['verify.deploy-run', 'changed'],
		],
	);
	t.regex(result.steps[1]!.note!, /^run https:\/\/github\.com\/.+: success$/);
	t.deepEqual(standIn.violations, []);
});
