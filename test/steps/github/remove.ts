import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {marker} from '../../../source/github/files.js';
import {workflowPath} from '../../../source/github/workflow.js';
import {githubSteps} from '../../../steps/github/index.js';
import {githubWorkflow} from '../../../steps/github/workflow.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {
	fullToken,
	type GitHubStandIn,
	startGitHubStandIn,
} from '../../helpers/github/server.js';
import {blobSha} from '../../helpers/github/state.js';
import {startPlatformStandIn} from '../../helpers/platform.js';
import {fakeSecret} from '../../helpers/secrets.js';

/*
`uninstall --remove github` against the GitHub stand-in: after the phase wired a repository
(webhook and workflow file included), each step's removal lists what it would take back, takes it
back, and then finds nothing left; labels stay (issues may carry them).
*/
test('the GitHub wiring is taken back by each step’s removal, and a second pass finds nothing', async t => {
	t.timeout(120_000);
	const webhookSecret = fakeSecret('whsec-');
	const standIn = await startGitHubStandIn();
	const platform = await startPlatformStandIn(webhookSecret);
	t.teardown(async () => {
		await standIn.close();
		await platform.close();
	});
	const context = standInContext(
		standInClient(standIn, fullToken, {
			mode: 'server',
			domain: 'staging.example.com',
			acmeEmail: 'ops@example.com',
			github: {webhookUrl: platform.url},
			platform: {webhookSecret},
		}),
	);
	// What an older version left (its secrets and their digests), and one of upstream's names.
	const stored = {
		sealed: '',
		keyId: 'x',
		createdAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
	};
	for (const name of [
		'CODEXK8S_GITHUB_PAT',
		'CODEXK8S_OPENAI_API_KEY',
		'OPENAI_API_KEY',
	]) {
		standIn.repo.secrets.set(name, stored);
	}

	standIn.repo.variables.set('CODEXK8S_INSTALLER_SECRET_DIGESTS', {
		value: '{}',
		createdAt: stored.createdAt,
		updatedAt: stored.updatedAt,
	});
	for (const step of githubSteps) {
		// eslint-disable-next-line no-await-in-loop -- steps run in order
		await step.apply?.(context, await step.check(context));
	}

	t.is(standIn.repo.hooks.length, 1);
	t.is(standIn.repo.secrets.size, 3, 'the install writes no secret');
	t.true(standIn.repo.files.get(workflowPath)?.startsWith(marker));
	t.true(standIn.repo.variables.size > 0);
	const removals = githubSteps.filter(step => step.remove).toReversed();
	t.deepEqual(
		removals.map(step => step.id),
		['github.webhook', 'github.workflow', 'github.secrets', 'github.variables'],
	);
	t.deepEqual(
		await removals
			.find(step => step.id === 'github.secrets')!
			.remove!.check(context),
		[
			'delete secret CODEXK8S_GITHUB_PAT',
			'delete secret CODEXK8S_OPENAI_API_KEY',
			'delete variable CODEXK8S_INSTALLER_SECRET_DIGESTS',
		],
	);
	for (const step of removals) {
		// eslint-disable-next-line no-await-in-loop -- in reverse order
		const planned = await step.remove!.check(context);
		t.true(planned.length > 0, `${step.id} has something to remove`);
		t.is(step.remove!.keptUnless, 'github');
		// eslint-disable-next-line no-await-in-loop
		await step.remove!.apply(context);
	}

	t.is(standIn.repo.hooks.length, 0);
	t.deepEqual(
		[...standIn.repo.secrets.keys()],
		['OPENAI_API_KEY'],
		'upstream’s own names are not the installer’s to delete',
	);
	t.false(standIn.repo.files.has(workflowPath), 'the workflow file is deleted');
	t.true(standIn.repo.files.has('README.md'), 'the rest of the branch stays');
	const deletion = standIn.requests.find(
		request => request.operationId === 'repos/delete-file',
	);
	t.is(deletion?.status, 200);
	t.deepEqual(
		[...standIn.repo.variables.keys()].filter(
			name => !name.startsWith('CODEXK8S_LABEL_'),
		),
		[],
	);
	t.true(standIn.repo.labels.size > 0, 'labels stay');
	const writes = standIn.writes().length;
	for (const step of removals) {
		// eslint-disable-next-line no-await-in-loop
		t.deepEqual(await step.remove!.check(context), [], `${step.id} again`);
		// eslint-disable-next-line no-await-in-loop -- a removal run again changes nothing
		await step.remove!.apply(context);
	}

	// A delete of what is gone is answered 404 and changes nothing.
	t.deepEqual(
		standIn
			.writes()
			.slice(writes)
			.filter(request => request.status !== 404),
		[],
		'a second pass changes nothing',
	);
	t.deepEqual(standIn.violations, []);
});

function contextOn(standIn: GitHubStandIn) {
	const lines: string[] = [];
	const context = standInContext(standInClient(standIn), ['github'], line => {
		lines.push(line);
	});
	return {context, lines};
}

test('a workflow file the installer did not write (no marker line) is kept by the removal', async t => {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	standIn.repo.files.set(workflowPath, 'name: ours, not the installer’s\n');
	const {context, lines} = contextOn(standIn);
	t.deepEqual(await githubWorkflow.remove!.check(context), []);
	t.regex(lines.join('\n'), /kept: it lacks the installer’s marker line/);
	await githubWorkflow.remove!.apply(context);
	t.is(
		standIn.repo.files.get(workflowPath),
		'name: ours, not the installer’s\n',
	);
	t.deepEqual(standIn.writes(), []);
	t.deepEqual(standIn.violations, []);
});

test('a branch that takes pull requests only keeps the file, saying so; a rule nobody could see refuses the commit: a user error saying what to do', async t => {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	standIn.repo.files.set(workflowPath, `${marker}\nname: x\n`);
	standIn.repo.protectedBranches.add('main');
	const {context, lines} = contextOn(standIn);
	t.deepEqual(await githubWorkflow.remove!.check(context), []);
	t.regex(lines.join('\n'), /kept: the branch takes pull requests only/);

	// A server without the rules API: the check cannot see the rule, GitHub refuses the commit.
	standIn.repo.protectedBranches.clear();
	standIn.repo.rulesApi = false;
	standIn.repo.rules.set('main', ['pull_request']);
	const planned = await githubWorkflow.remove!.check(context);
	t.is(planned.length, 1);
	const error = await t.throwsAsync(githubWorkflow.remove!.apply(context), {
		instanceOf: UserError,
	});
	t.regex(error.message, /main refused the commit that deletes/);
	t.regex(error.hint ?? '', /pull request/);
	t.true(standIn.repo.files.has(workflowPath));
	t.deepEqual(standIn.violations, []);
});

test('the stand-in deletes a file as GitHub does: the blob sha must match, a missing file is 404, workflows need their permission', async t => {
	const contentsOnly = fakeSecret('github_pat_');
	const standIn = await startGitHubStandIn({
		tokens: {
			[contentsOnly]: {
				kind: 'fine-grained',
				permissions: {contents: 'write', metadata: 'read'},
			},
		},
	});
	t.teardown(async () => standIn.close());
	const text = `${marker}\nname: x\n`;
	standIn.repo.files.set(workflowPath, text);
	const {gh} = standInClient(standIn);
	const remove = async (sha: string, client = gh) =>
		client.api.repos
			.deleteFile({
				owner: client.owner,
				repo: client.repo,
				path: workflowPath,
				message: 'remove',
				sha,
			})
			.then(
				response => response.status,
				(error: unknown) => (error as {status: number}).status,
			);
	t.is(await remove('0'.repeat(40)), 409, 'another blob sha: conflict');
	t.is(
		await remove(blobSha(text), standInClient(standIn, contentsOnly).gh),
		403,
		'a workflow file needs Workflows (write)',
	);
	const before = standIn.repo.branches.get('main');
	t.is(await remove(blobSha(text)), 200);
	t.false(standIn.repo.files.has(workflowPath));
	t.not(standIn.repo.branches.get('main'), before, 'a new commit');
	t.is(await remove(blobSha(text)), 404, 'gone: not found');
	t.deepEqual(standIn.violations, []);
});
