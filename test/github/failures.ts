// Ava's execution context is loosely typed in the helpers here.
import test, {type ExecutionContext} from 'ava';
import {InterruptedError, UserError} from '../../source/errors.js';
import {makePlan} from '../../source/engine/plan.js';
import {createLogger} from '../../source/log.js';
import {createGitHub} from '../../source/github/client.js';
import {GitHubFailure, GitHubRefusal} from '../../source/github/errors.js';
import {neededPermissions} from '../../source/github/permissions.js';
import {probeToken} from '../../source/github/probe.js';
import {workflowPath} from '../../source/github/workflow.js';
import {githubWebhook} from '../../steps/github/webhook.js';
import {githubWorkflow} from '../../steps/github/workflow.js';
import {githubToken} from '../../steps/preflight/github-token.js';
import {
	standInClient,
	standInContext,
	standInInput,
} from '../helpers/github/client.js';
import {
	type Fault,
	type GitHubStandIn,
	startGitHubStandIn,
} from '../helpers/github/server.js';
import {allFine} from '../helpers/github/tokens.js';
import {fakeSecret} from '../helpers/secrets.js';

/*
GitHub's answers that are not a success, from the stand-in (which checks every request and
answer against GitHub's OpenAPI description): each is a user error that says what to do, a 4xx
is never retried, and a 5xx is retried visibly and then reported as GitHub's failure.
*/

async function standInWith(
	t: ExecutionContext,
	options: Parameters<typeof startGitHubStandIn>[0] = {},
) {
	const standIn = await startGitHubStandIn(options);
	t.teardown(async () => standIn.close());
	return standIn;
}

test('server mode, webhook secret given, token without Webhooks: the plan blocks naming Webhooks, nothing crashes', async t => {
	const {repository_hooks: _, ...withoutHooks} = allFine;
	const standIn = await standInWith(t, {
		tokens: {
			github_pat_nohooks: {kind: 'fine-grained', permissions: withoutHooks},
		},
	});
	const client = standInClient(standIn, 'github_pat_nohooks', {
		mode: 'server',
		domain: 'staging.example.com',
		acmeEmail: 'ops@example.com',
		platform: {webhookSecret: fakeSecret('whsec-')},
	});
	const plan = await makePlan(
		[githubToken, githubWebhook],
		standInContext(client, ['preflight', 'github']),
		{probe: true},
	);
	const [token, webhook] = plan.steps.map(step => step.finding);
	t.like(token, {kind: 'blocked'});
	t.regex(token!.kind === 'blocked' ? token!.problem : '', /lacks Webhooks$/);
	t.like(webhook, {kind: 'blocked'});
	t.regex(
		webhook!.kind === 'blocked' ? webhook!.problem : '',
		/^GET \/repos\/acme\/platform\/hooks failed: GitHub refused \(403\): the token needs Webhooks \(read\)/,
	);
	t.deepEqual(standIn.violations, []);
});

test('a refused request becomes a user error naming the permission; it is not retried', async t => {
	const standIn = await standInWith(t, {
		tokens: {github_pat_ro: {kind: 'fine-grained', permissions: {}}},
	});
	const {gh} = standInClient(standIn, 'github_pat_ro');
	const error = await t.throwsAsync(
		gh.api.issues.createLabel({
			owner: 'acme',
			repo: 'platform',
			name: 'x',
			color: 'ffffff',
		}),
	);
	t.true(error instanceof GitHubRefusal);
	t.true(error instanceof UserError, 'no stack, no "this is a bug"');
	t.is(
		error.message,
		'POST /repos/acme/platform/labels failed: GitHub refused (403): the token needs Issues (write) or Pull requests (write) (X-Accepted-GitHub-Permissions: issues=write; pull_requests=write)',
	);
	t.regex((error as UserError).hint!, /Issues \(write\) or Pull requests/);
	t.is(standIn.requests.length, 1, 'asked once');
});

test('a 409 is an answer: asked once, not retried', async t => {
	const standIn = await standInWith(t);
	standIn.repo.branches.clear();
	const {gh} = standInClient(standIn);
	const error = await t.throwsAsync(
		gh.api.git.getRef({owner: 'acme', repo: 'platform', ref: 'heads/main'}),
	);
	t.is((error as GitHubRefusal).status, 409);
	t.is(standIn.requests.length, 1);
});

test('a 5xx is retried with a line per retry, and a later success is a success', async t => {
	const standIn = await standInWith(t);
	standIn.faults.push('server-502', 'server-503');
	const lines: string[] = [];
	const context = standInContext(standInClient(standIn), ['github'], line => {
		lines.push(line);
	});
	const {data} = await context.github().api.repos.get({
		owner: 'acme',
		repo: 'platform',
	});
	t.is(data.name, 'platform');
	t.deepEqual(lines, [
		'GitHub answered 502, retry 1/3 in 10 ms',
		'GitHub answered 503, retry 2/3 in 10 ms',
	]);
});

test('a 5xx that lasts is reported as GitHub’s failure after four tries, not as ours', async t => {
	const standIn = await standInWith(t);
	standIn.faults.push(...Array.from({length: 4}, (): Fault => 'server-503'));
	const {gh} = standInClient(standIn);
	const error = await t.throwsAsync(
		gh.api.repos.get({owner: 'acme', repo: 'platform'}),
	);
	t.true(error instanceof GitHubFailure);
	t.is(
		error.message,
		'GitHub failed: it answered 503 (Service Unavailable) to GET /repos/acme/platform, 4 times',
	);
	t.regex((error as UserError).hint!, /githubstatus\.com/);
	t.is(standIn.requests.length, 4);
});

test('the token check does not blame the token for GitHub’s failure', async t => {
	const standIn = await standInWith(t);
	standIn.faults.push(...Array.from({length: 4}, (): Fault => 'server-500'));
	const {gh, input} = standInClient(standIn);
	const error = await t.throwsAsync(
		probeToken(gh, 'github_pat_x', neededPermissions(input)),
	);
	t.true(error instanceof GitHubFailure);
});

test('Ctrl-C during a retry pause stops at once', async t => {
	const standIn = await standInWith(t);
	standIn.faults.push('server-502');
	const input = standInInput(standIn);
	// An hour's pause: the test ends only if the abort ends the pause.
	const gh = createGitHub(input, createLogger(), {retryDelaysMs: [3_600_000]});
	const controller = new AbortController();
	gh.listener.signal = controller.signal;
	gh.listener.notify = () => {
		controller.abort(new InterruptedError());
	};

	await t.throwsAsync(gh.api.repos.get({owner: 'acme', repo: 'platform'}), {
		instanceOf: InterruptedError,
	});
	t.is(standIn.requests.length, 1);
});

test('a rate-limit wait is shown as a line, and Ctrl-C during it stops at once', async t => {
	const standIn = await standInWith(t);
	// The limit resets in an hour: the test ends only if the abort ends the wait.
	standIn.faults.push('primary-429-for-an-hour');
	const gh = createGitHub(standInInput(standIn), createLogger());
	const controller = new AbortController();
	const lines: string[] = [];
	gh.listener.signal = controller.signal;
	gh.listener.notify = line => {
		lines.push(line);
		controller.abort(new InterruptedError());
	};

	await t.throwsAsync(gh.api.repos.get({owner: 'acme', repo: 'platform'}), {
		instanceOf: InterruptedError,
	});
	t.is(lines.length, 1);
	t.regex(
		lines[0]!,
		/^GitHub primary rate limit reached: retry 1 of 3 in 3\d{3} s \(Ctrl-C stops\)$/,
	);
	t.is(standIn.requests.length, 1);
});

/** Writes of the workflow file that GitHub refused. */
const refusedCommits = (standIn: GitHubStandIn) =>
	standIn
		.writes()
		.filter(
			write =>
				write.method === 'PUT' &&
				decodeURIComponent(write.path).endsWith(workflowPath) &&
				write.status === 409,
		).length;

for (const [name, showsProtected] of [
	['a ruleset that does not show as protected', false],
	['a ruleset that shows as protected', true],
] as const) {
	test(`${name}: the workflow is proposed as a pull request without a refused commit first`, async t => {
		const standIn = await standInWith(t);
		standIn.repo.rules.set('main', ['pull_request']);
		if (showsProtected) {
			standIn.repo.protectedBranches.add('main');
		}

		const output: string[] = [];
		const context = standInContext(standInClient(standIn), ['github'], line => {
			output.push(line);
		});
		const finding = await githubWorkflow.check(context);
		await githubWorkflow.apply!(context, finding);
		t.is(standIn.repo.pulls.length, 1);
		t.false(standIn.repo.files.has(workflowPath), 'main is untouched');
		t.is(refusedCommits(standIn), 0, 'no commit to main was tried');
		t.regex(output.join('\n'), /opened pull request/);
		t.deepEqual(standIn.violations, []);
	});
}

test('a rule the branch check cannot see: one refused commit (409), not retried, then the pull request', async t => {
	const standIn = await standInWith(t);
	standIn.repo.rules.set('main', ['pull_request']);
	standIn.repo.rulesApi = false;
	const context = standInContext(standInClient(standIn));
	const finding = await githubWorkflow.check(context);
	await githubWorkflow.apply!(context, finding);
	t.is(standIn.repo.pulls.length, 1);
	t.is(refusedCommits(standIn), 1);
	t.deepEqual(standIn.violations, []);
});

test('the probe asks for Pull requests when a ruleset makes the base branch take only them', async t => {
	const standIn = await standInWith(t);
	standIn.repo.rules.set('main', ['pull_request']);
	const {gh, input} = standInClient(standIn);
	const report = await probeToken(gh, 'github_pat_x', neededPermissions(input));
	t.true(report.rows.some(row => row.permission === 'pull_requests'));
});
