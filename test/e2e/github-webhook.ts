import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {stringify} from 'yaml';
import {allSteps} from '../../steps/index.js';
import {ensureBuilt, runCliAsync} from '../helpers/cli.js';
import {reportOf} from '../helpers/drill.js';
import {standInClient, standInContext} from '../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {startPlatformStandIn} from '../helpers/platform.js';
import {fakeSecret, secretFile} from '../helpers/secrets.js';

/*
Server mode through the built command: a repository wired earlier, and a platform that now runs
(the stand-in of its webhook endpoint, which checks signatures). `install --only github`
sets the webhook with the platform's secret (no repository secret), and GitHub's ping (really
delivered by the GitHub stand-in, signed with it) is accepted; a second run writes nothing.
*/
test('server mode: the webhook is set for a running platform and its ping accepted; a re-run writes nothing', async t => {
	t.timeout(5 * 60_000);
	ensureBuilt();
	const webhookSecret = fakeSecret('whsec-');
	const standIn = await startGitHubStandIn();
	const platform = await startPlatformStandIn(webhookSecret);
	t.teardown(async () => {
		await standIn.close();
		await platform.close();
	});
	const answers = {
		mode: 'server' as const,
		domain: 'staging.example.com',
		acmeEmail: 'ops@example.com',
		github: {webhookUrl: platform.url},
	};
	// Wired earlier, without the webhook: what a first install of this version left.
	const context = standInContext(standInClient(standIn, fullToken, answers));
	for (const step of allSteps.filter(
		step => step.phase === 'github' && step.id !== 'github.webhook',
	)) {
		// eslint-disable-next-line no-await-in-loop -- steps run in order
		const finding = await step.check(context);
		// eslint-disable-next-line no-await-in-loop
		await step.apply?.(context, finding);
	}

	const home = mkdtempSync(join(tmpdir(), 'ck8s-webhook-'));
	const config = join(home, 'staging.yaml');
	writeFileSync(
		config,
		stringify({
			...answers,
			connection: {host: '203.0.113.10'},
			github: {
				...answers.github,
				repo: `${standIn.repo.owner}/${standIn.repo.name}`,
				apiUrl: standIn.url,
				tokenFile: secretFile(home, 'github-token', fullToken),
			},
			platform: {webhookSecretFile: secretFile(home, 'webhook', webhookSecret)},
		}),
	);
	const args = [
		'install',
		'--only',
		'github',
		'--yes',
		'--non-interactive',
		'--json',
		'--config',
		config,
	];
	const first = await runCliAsync(args, {home});
	t.is(first.code, 0, `stderr: ${first.stderr}`);
	const report = reportOf(first);
	const byId = new Map(report.steps.map(step => [step.id, step]));
	t.like(byId.get('github.secrets'), {status: 'done'});
	t.like(byId.get('github.webhook'), {status: 'changed'});
	t.regex(byId.get('github.webhook')!.note!, /ping delivered \(202\)$/);
	t.deepEqual(platform.accepted, ['ping']);
	t.is(standIn.repo.secrets.size, 0, 'no repository secret');
	t.is(standIn.repo.hooks[0]?.config.url, platform.url);
	t.false(
		`${first.stdout}${first.stderr}`.includes(webhookSecret),
		'the secret is not in the output',
	);

	const writes = standIn.writes().length;
	const second = await runCliAsync(args, {home});
	t.is(second.code, 0, `stderr: ${second.stderr}`);
	t.is(reportOf(second).changes, 0);
	t.is(standIn.writes().length, writes, 'no write request to GitHub');
	t.deepEqual(standIn.violations, []);
});
