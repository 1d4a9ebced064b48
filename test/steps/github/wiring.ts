/* eslint-disable no-await-in-loop, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call */
// Parsed YAML and ava contexts are loosely typed on purpose here; assertions check their shape.
import test from 'ava';
import {githubLabels} from '../../../steps/github/labels.js';
import {githubSecrets} from '../../../steps/github/secrets.js';
import {githubVariables} from '../../../steps/github/variables.js';
import {githubWorkflow} from '../../../steps/github/workflow.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../../helpers/github/server.js';
import {allFine} from '../../helpers/github/tokens.js';
import {checkName} from '../../../source/github/variables.js';
import {workflowPath} from '../../../source/github/workflow.js';
import {fakeSecret} from '../../helpers/secrets.js';

const openaiKey = fakeSecret('sk-test-openai-');
const otherOpenaiKey = fakeSecret('sk-test-openai-');
const botToken = fakeSecret('ghp_');

const steps = [githubSecrets, githubVariables, githubLabels, githubWorkflow];

async function setUp(t: any, extra: any = {}) {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, fullToken, {
		platform: {
			openaiApiKey: openaiKey,
			gitBotToken: botToken,
		},
		...extra,
	});
	const output: string[] = [];
	const context = standInContext(client, ['github'], line => {
		output.push(line);
	});
	const run = async () => {
		const findings = [];
		for (const step of steps) {
			const finding = await step.check(context);
			findings.push([step.id, finding.kind]);
			if (finding.kind === 'new' || finding.kind === 'change') {
				await step.apply!(context, finding);
			}
		}

		return findings;
	};

	return {standIn, context, run, output};
}

const stored = () => ({
	sealed: '',
	keyId: 'x',
	createdAt: '2026-01-01T00:00:00Z',
	updatedAt: '2026-01-01T00:00:00Z',
});

test('first run writes variables, labels and the workflow but no secret; an older install’s secrets are named unused and left; re-run makes zero writes', async t => {
	const {standIn, run, context} = await setUp(t);
	// One of upstream's older names and one this installer wrote before.
	standIn.repo.secrets.set('OPENAI_API_KEY', stored());
	standIn.repo.secrets.set('CODEXK8S_OPENAI_API_KEY', stored());
	await run();
	t.deepEqual(standIn.violations, []);
	t.false(
		standIn.requests.some(item =>
			/(?:create-or-update|delete)-repo-secret|public-key/.test(
				item.operationId ?? '',
			),
		),
		'no secret written or deleted, no sealing key asked for',
	);
	t.deepEqual(
		[...standIn.repo.secrets.keys()],
		['OPENAI_API_KEY', 'CODEXK8S_OPENAI_API_KEY'],
	);
	t.false(standIn.repo.variables.has('CODEXK8S_INSTALLER_SECRET_DIGESTS'));
	t.deepEqual(await githubSecrets.check(context), {
		kind: 'done',
		note: "no longer used, left in place: CODEXK8S_OPENAI_API_KEY (written by an older version; `uninstall --remove github` deletes them); OPENAI_API_KEY (upstream's older names; delete them with `gh secret delete` if nothing else reads them)",
	});
	t.is(standIn.repo.labels.size, 46);
	t.is(
		standIn.repo.labels.get('run:dev')!.description,
		'Start development run',
	);
	t.is(standIn.repo.variables.get('CODEXK8S_RUN_DEV_LABEL')!.value, 'run:dev');
	t.is(
		standIn.repo.variables.get('CODEXK8S_STAGING_RUNNER')!.value,
		'codex-k8s-ai-staging',
	);
	t.false(
		standIn.repo.variables.has('CODEXK8S_STAGING_DOMAIN'),
		'empty value = not set in local mode',
	);
	t.true(
		standIn.repo.files
			.get(workflowPath)!
			.includes('runs-on: codex-k8s-ai-staging'),
	);

	const before = standIn.writes().length;
	const again = await run();
	t.deepEqual(
		again.map(([, kind]) => kind),
		['done', 'done', 'done', 'done'],
	);
	t.is(standIn.writes().length, before, 'zero write requests on the re-run');
	t.deepEqual(standIn.violations, []);
});

test('a token that may not list secrets installs all the same; the plan says older ones were not looked for', async t => {
	const {secrets: _, ...withoutSecrets} = allFine;
	const standIn = await startGitHubStandIn({
		tokens: {
			github_pat_nosecrets: {
				kind: 'fine-grained',
				permissions: withoutSecrets,
			},
		},
	});
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, 'github_pat_nosecrets', {
		platform: {openaiApiKey: openaiKey},
	});
	const context = standInContext(client, ['github'], () => undefined);
	t.deepEqual(await githubSecrets.check(context), {
		kind: 'done',
		note: 'none written; the token may not list repository secrets, so older ones were not looked for',
	});
});

test('a changed secret input writes nothing to the repository; an emptied variable is deleted', async t => {
	const {standIn, run, context} = await setUp(t, {
		domain: 'staging.example.com',
		mode: 'server',
	});
	await run();
	t.is(
		standIn.repo.variables.get('CODEXK8S_STAGING_DOMAIN')!.value,
		'staging.example.com',
	);
	t.is(standIn.repo.secrets.size, 0);
	context.input = {
		...context.input,
		mode: 'local',
		domain: undefined,
		platform: {
			...context.input.platform,
			openaiApiKey: otherOpenaiKey,
		},
	};
	await run();
	t.is(standIn.repo.secrets.size, 0);
	t.false(standIn.repo.variables.has('CODEXK8S_STAGING_DOMAIN'));
	t.deepEqual(standIn.violations, []);
});

test('GITHUB_ variable names are refused with a clear error', t => {
	t.throws(
		() => {
			checkName('GITHUB_TOKEN');
		},
		{message: /cannot be set/},
	);
});

test('a locally changed workflow is not overwritten; the plan shows the diff', async t => {
	const {standIn, run, context} = await setUp(t);
	standIn.repo.files.set(workflowPath, 'name: mine\non: push\n');
	await run();
	t.is(standIn.repo.files.get(workflowPath), 'name: mine\non: push\n');
	const finding = await githubWorkflow.check(context);
	t.is(finding.kind, 'blocked');
	t.true(finding.kind === 'blocked' && finding.hint!.includes('- name: mine'));
	t.deepEqual(standIn.violations, []);
});

test('a protected branch gets a pull request instead of a commit', async t => {
	const {standIn, run, output, context} = await setUp(t);
	standIn.repo.protectedBranches.add('main');
	await run();
	t.false(standIn.repo.files.has(workflowPath));
	t.is(standIn.repo.pulls.length, 1);
	t.regex(
		output.join('\n'),
		/opened pull request https:\/\/github.com\/acme\/platform\/pull\/1/,
	);
	// Re-run while the pull request waits: nothing to do, nothing written, and it says why.
	const writes = standIn.writes().length;
	const again = await run();
	t.deepEqual(
		again.find(([id]) => id === 'github.workflow'),
		['github.workflow', 'done'],
	);
	t.is(standIn.writes().length, writes, 'no write request');
	t.is(standIn.repo.pulls.length, 1, 'no second pull request');
	const finding = await githubWorkflow.check(context);
	t.deepEqual(finding, {
		kind: 'done',
		note: 'waiting for pull request #1 to be merged: https://github.com/acme/platform/pull/1',
	});

	// Another answer changes the render: the same pull request's branch gets the new file.
	context.input = {
		...context.input,
		runner: {...context.input.runner, scaleSetName: 'codex-k8s-other'},
	};
	const changed = await run();
	t.deepEqual(
		changed.find(([id]) => id === 'github.workflow'),
		['github.workflow', 'new'],
	);
	t.is(standIn.repo.pulls.length, 1, 'still one pull request');
	t.deepEqual(await githubWorkflow.check(context), {
		kind: 'done',
		note: 'waiting for pull request #1 to be merged: https://github.com/acme/platform/pull/1',
	});

	// Closed without merging (its branch stays): the next run proposes it again.
	standIn.repo.pulls.length = 0;
	const reopened = await run();
	t.deepEqual(
		reopened.find(([id]) => id === 'github.workflow'),
		['github.workflow', 'new'],
	);
	t.is(standIn.repo.pulls.length, 1);
	t.deepEqual(standIn.violations, []);
});

test('writes refused for a missing permission name the permission', async t => {
	const standIn = await startGitHubStandIn({
		tokens: {
			github_pat_ro: {
				kind: 'fine-grained',
				permissions: {...allFine, actions_variables: 'read'},
			},
		},
	});
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, 'github_pat_ro', {
		platform: {openaiApiKey: openaiKey},
	});
	const context = standInContext(client, ['github'], () => undefined);
	const finding = await githubVariables.check(context);
	const error = await t.throwsAsync(githubVariables.apply!(context, finding));
	t.regex(error.message, /actions_variables=write/);
	t.false(error.message.includes('sk-test'));
});
