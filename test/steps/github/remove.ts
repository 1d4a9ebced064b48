import test from 'ava';
import {githubSteps} from '../../../steps/github/index.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../../helpers/github/server.js';
import {startPlatformStandIn} from '../../helpers/platform.js';
import {fakeSecret} from '../../helpers/secrets.js';

/*
`uninstall --remove github` against the GitHub stand-in: after the phase wired a repository
(webhook included), each step's removal lists what it would take back, takes it back, and then
finds nothing left; labels stay (issues may carry them).
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
	t.true(standIn.repo.variables.size > 0);
	const removals = githubSteps.filter(step => step.remove).toReversed();
	t.deepEqual(
		removals.map(step => step.id),
		['github.webhook', 'github.secrets', 'github.variables'],
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
	t.deepEqual(
		[...standIn.repo.variables.keys()].filter(
			name => !name.startsWith('CODEXK8S_LABEL_'),
		),
		[],
	);
	t.true(standIn.repo.labels.size > 0, 'labels stay');
	for (const step of removals) {
		// eslint-disable-next-line no-await-in-loop
		t.deepEqual(await step.remove!.check(context), [], `${step.id} again`);
	}

	t.deepEqual(standIn.violations, []);
});
