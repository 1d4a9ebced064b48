/* eslint-disable no-await-in-loop, @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call */
// Parsed YAML and ava contexts are loosely typed on purpose here; assertions check their shape.
import test from 'ava';
import {githubLabels} from '../../../steps/github/labels.js';
import {githubSecrets} from '../../../steps/github/secrets.js';
import {githubVariables} from '../../../steps/github/variables.js';
import {githubWorkflow} from '../../../steps/github/workflow.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../../helpers/github/server.js';
import {reveal} from '../../helpers/github/state.js';
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

test('first run writes everything; secrets decrypt with the stand-in key; re-run makes zero writes', async t => {
	const {standIn, run} = await setUp(t);
	standIn.repo.secrets.set('OPENAI_API_KEY', {
		sealed: '',
		keyId: 'x',
		createdAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
	});
	await run();
	t.deepEqual(standIn.violations, []);
	t.is(reveal(standIn.repo, 'CODEXK8S_OPENAI_API_KEY'), openaiKey);
	t.is(reveal(standIn.repo, 'CODEXK8S_GIT_BOT_TOKEN'), botToken);
	t.is(reveal(standIn.repo, 'CODEXK8S_GITHUB_PAT'), fullToken);
	t.false(standIn.repo.secrets.has('OPENAI_API_KEY'), 'legacy secret removed');
	const digests = standIn.repo.variables.get(
		'CODEXK8S_INSTALLER_SECRET_DIGESTS',
	)!.value;
	t.false(digests.includes('sk-test'), 'digests hold no value');
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

test('a changed secret value is rewritten, an unchanged one is not; an emptied variable is deleted', async t => {
	const {standIn, run, context} = await setUp(t, {
		domain: 'staging.example.com',
		mode: 'server',
	});
	await run();
	t.is(
		standIn.repo.variables.get('CODEXK8S_STAGING_DOMAIN')!.value,
		'staging.example.com',
	);
	const botWritten = standIn.repo.secrets.get(
		'CODEXK8S_GIT_BOT_TOKEN',
	)!.updatedAt;
	const start = standIn.requests.length;
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
	const writes = standIn.requests
		.slice(start)
		.filter(item => item.method !== 'GET');
	t.deepEqual(
		writes
			.filter(
				item => item.operationId === 'actions/create-or-update-repo-secret',
			)
			.map(item => item.path.split('/').at(-1)),
		['CODEXK8S_OPENAI_API_KEY'],
	);
	t.is(reveal(standIn.repo, 'CODEXK8S_OPENAI_API_KEY'), otherOpenaiKey);
	t.is(
		standIn.repo.secrets.get('CODEXK8S_GIT_BOT_TOKEN')!.updatedAt,
		botWritten,
	);
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
			github_pat_ro: {kind: 'fine-grained', permissions: {secrets: 'read'}},
		},
	});
	t.teardown(async () => standIn.close());
	const {gh} = standInClient(standIn, 'github_pat_ro', {
		platform: {openaiApiKey: openaiKey},
	});
	const {applySecrets, desiredSecrets, planSecrets} =
		await import('../../../source/github/secrets.js');
	const {input} = standInClient(standIn, 'github_pat_ro', {
		platform: {openaiApiKey: openaiKey},
	});
	const desired = desiredSecrets(input);
	const error = await t.throwsAsync(
		applySecrets(gh, desired, await planSecrets(gh, desired)),
	);
	t.regex(error.message, /secrets=write/);
	t.false(error.message.includes('sk-test'));
});
