import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {githubSecrets} from '../../steps/github/secrets.js';
import {standInClient, standInContext} from '../helpers/github/client.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {reveal} from '../helpers/github/state.js';
import {hostilePayloads} from '../helpers/hostile.js';

test('hostile secret values the schema accepts reach GitHub byte-exact, sealed, and run nothing', async t => {
	const marker = join(mkdtempSync(join(tmpdir(), 'ck8s-hostile-')), 'marker');
	const payloads = hostilePayloads(marker);
	const platform = {
		oauthClientSecret: payloads['double quote'],
		openaiApiKey: payloads['single quote'],
		context7ApiKey: payloads.semicolon,
		gitBotToken: payloads['command substitution'],
		webhookSecret: payloads.backticks,
		openaiAuthFile: JSON.stringify({token: payloads.backticks}),
	};
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, fullToken, {platform});
	const context = standInContext(client, ['github'], () => {});
	const finding = await githubSecrets.check(context);
	t.true(
		finding.kind === 'new' || finding.kind === 'change',
		`finding: ${finding.kind}`,
	);
	await githubSecrets.apply!(context, finding);
	t.deepEqual(standIn.violations, []);
	for (const [name, value] of [
		['CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET', platform.oauthClientSecret],
		['CODEXK8S_OPENAI_API_KEY', platform.openaiApiKey],
		['CODEXK8S_CONTEXT7_API_KEY', platform.context7ApiKey],
		['CODEXK8S_GIT_BOT_TOKEN', platform.gitBotToken],
		['CODEXK8S_GITHUB_WEBHOOK_SECRET', platform.webhookSecret],
		['CODEXK8S_OPENAI_AUTH_FILE', platform.openaiAuthFile],
	] as const) {
		t.is(reveal(standIn.repo, name), value, `secret ${name}`);
	}

	t.false(existsSync(marker), 'a marker appeared');
});
