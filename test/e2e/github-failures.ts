import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {stringify} from 'yaml';
import {
	type CliResult,
	ensureBuilt,
	runCliAsync,
	type RunningCli,
	startCli,
} from '../helpers/cli.js';
import {type Fault, startGitHubStandIn} from '../helpers/github/server.js';
import {allFine} from '../helpers/github/tokens.js';
import {
	refusedUrl,
	selfSignedServer,
	silentServer,
	unresolvableUrl,
} from '../helpers/network-faults.js';
import {fakeSecret, secretFile} from '../helpers/secrets.js';

/*
The built command when GitHub cannot be reached or refuses: real failures on this machine (a
refused port, a `.invalid` name, a self-signed certificate, a server that never answers) and the
GitHub stand-in. Each ends in a user error whose first line says what happened: exit 1, no
stack, no "this is a bug", no resume offered when nothing ran, and with --json one document.
*/

const token = fakeSecret('github_pat_');

/** A laptop with a config for `repo` at `apiUrl`; the host is never contacted (GitHub phase only). */
function laptop(
	apiUrl: string,
	extra: Record<string, unknown> = {},
	env: NodeJS.ProcessEnv = {},
) {
	const home = mkdtempSync(join(tmpdir(), 'ck8s-gh-fail-'));
	const config = join(home, 'staging.yaml');
	const {platform, ...rest} = extra as {platform?: Record<string, unknown>};
	writeFileSync(
		config,
		stringify({
			connection: {host: '203.0.113.10'},
			mode: 'local',
			...rest,
			github: {
				repo: 'acme/platform',
				apiUrl,
				tokenFile: secretFile(home, 'token', token),
			},
			...(platform?.['webhookSecret']
				? {
						platform: {
							webhookSecretFile: secretFile(
								home,
								'webhook',
								platform['webhookSecret'] as string,
							),
						},
					}
				: {}),
		}),
	);
	const run = async (args: string[]) =>
		runCliAsync([...args, '--non-interactive', '--config', config], {
			home,
			env,
		});
	return {home, config, run};
}

const install = ['install', '--only', 'github', '--yes', '--json'];
const planProbe = ['plan', '--probe', '--only', 'github'];

/** The error line of stderr (progress lines come before it). */
const errorLine = (result: CliResult) =>
	result.stderr.split('\n').find(line => line.startsWith('✖ ')) ?? '';

function assertUserError(
	t: ExecutionContext,
	result: CliResult,
	firstLine: RegExp,
) {
	t.is(result.code, 1, `stderr: ${result.stderr}`);
	t.regex(errorLine(result), firstLine);
	t.notRegex(result.stderr, /this is a bug|\n\s+at \S+ \(|resume/);
	t.false(result.stderr.includes(token) || result.stdout.includes(token));
}

function assertJsonError(
	t: ExecutionContext,
	result: CliResult,
	firstLine: RegExp,
) {
	assertUserError(t, result, firstLine);
	const document = JSON.parse(result.stdout) as {
		ok: boolean;
		error: {kind: string; message: string; exitCode: number};
	};
	t.false(document.ok);
	t.like(document.error, {kind: 'failed', exitCode: 1});
	t.regex(
		document.error.message,
		new RegExp(firstLine.source.replace(/^\^✖ /, '^')),
	);
}

const cases: Array<
	[
		string,
		() => Promise<{url: string; close?: () => Promise<void>}>,
		RegExp,
		NodeJS.ProcessEnv?,
	]
> = [
	[
		'a refused connection',
		async () => ({url: await refusedUrl()}),
		/^✖ GitHub could not be reached: the connection to 127\.0\.0\.1:\d+ was refused \(4 tries\)$/,
	],
	[
		'a name that does not resolve',
		async () => ({url: unresolvableUrl}),
		/^✖ GitHub could not be reached: the name api\.github-stand-in\.invalid does not resolve \((ENOTFOUND|EAI_AGAIN)\) \(4 tries\)$/,
	],
	[
		'a self-signed certificate',
		selfSignedServer,
		/^✖ GitHub could not be reached: the TLS certificate of 127\.0\.0\.1:\d+ was not accepted \(\w+: /,
	],
	[
		'a server that never answers',
		silentServer,
		/^✖ GitHub could not be reached: 127\.0\.0\.1:\d+ did not answer within 1 s \(4 tries\)$/,
		// Short only where nothing will ever answer: the stand-in may be slow on a busy machine.
		{CODEXK8S_GITHUB_REQUEST_TIMEOUT: '1'},
	],
];

for (const [name, start, firstLine, env] of cases) {
	test(`${name}: install and plan --probe end in a user error that says so`, async t => {
		t.timeout(3 * 60_000);
		ensureBuilt();
		const endpoint = await start();
		if (endpoint.close) {
			t.teardown(endpoint.close);
		}

		const {run} = laptop(endpoint.url, {}, env);
		const [installed, planned, plannedJson] = await Promise.all([
			run(install),
			run(planProbe),
			run([...planProbe, '--json']),
		]);
		assertJsonError(t, installed, firstLine);
		assertUserError(t, planned, firstLine);
		assertJsonError(t, plannedJson, firstLine);
		t.regex(installed.stderr, /CODEXK8S_GITHUB_API_URL/);
	});
}

test('retries are shown as lines while the plan is made', async t => {
	ensureBuilt();
	const {run} = laptop(await refusedUrl());
	const result = await run(planProbe);
	t.deepEqual(
		result.stderr.split('\n').filter(line => line.includes('retry')),
		[1, 2, 3].map(
			(n, index) =>
				`  › GitHub unreachable (connection refused), retry ${n}/3 in ${2 ** index} s`,
		),
	);
});

test('server mode, webhook secret given, token without Webhooks: install and plan --probe name Webhooks', async t => {
	t.timeout(3 * 60_000);
	ensureBuilt();
	const {repository_hooks: _, ...withoutHooks} = allFine;
	const standIn = await startGitHubStandIn({
		tokens: {[token]: {kind: 'fine-grained', permissions: withoutHooks}},
	});
	t.teardown(standIn.close);
	const {run} = laptop(standIn.url, {
		mode: 'server',
		domain: 'staging.example.com',
		acmeEmail: 'ops@example.com',
		platform: {webhookSecret: fakeSecret('whsec-')},
	});
	const installed = await run(install);
	assertJsonError(t, installed, /^✖ Nothing was changed: 2 steps are blocked$/);
	t.regex(
		installed.stderr,
		/GitHub token permissions: the fine-grained token of octocat lacks Webhooks/,
	);
	t.regex(
		installed.stderr,
		/Repository webhook: GET \/repos\/acme\/platform\/hooks failed: GitHub refused \(403\): the token needs Webhooks \(read\)/,
	);
	const planned = await run([...planProbe, '--json']);
	t.is(planned.code, 0, `stderr: ${planned.stderr}`);
	t.regex(JSON.stringify(JSON.parse(planned.stdout)), /lacks Webhooks/);
	t.deepEqual(standIn.writes(), [], 'nothing written');
	t.deepEqual(standIn.violations, []);
});

test('GitHub failing with 5xx: reported as GitHub’s failure, not ours', async t => {
	t.timeout(3 * 60_000);
	ensureBuilt();
	const standIn = await startGitHubStandIn({
		tokens: {[token]: {kind: 'fine-grained', permissions: allFine}},
	});
	t.teardown(standIn.close);
	standIn.faults.push(...Array.from({length: 4}, (): Fault => 'server-502'));
	const {run} = laptop(standIn.url);
	const installed = await run(install);
	assertJsonError(
		t,
		installed,
		/^✖ Nothing was changed: \d steps? (is|are) blocked$/,
	);
	t.regex(
		installed.stderr,
		/GitHub failed: it answered 502 \(Server Error\) to GET \/user, 4 times/,
	);
	t.regex(installed.stderr, /githubstatus\.com/);
});

/** Resolves once the CLI's stderr matches: waits for the state, not for time. */
async function untilStderr(cli: RunningCli, pattern: RegExp): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const check = () => {
			if (pattern.test(cli.stderr())) {
				cli.child.stderr?.off('data', check);
				resolve();
			}
		};

		cli.child.stderr?.on('data', check);
		cli.child.once('close', () => {
			reject(new Error(`exited before ${String(pattern)}: ${cli.stderr()}`));
		});
		check();
	});
}

test('one Ctrl-C during the retries stops the run: no further request, exit 130', async t => {
	t.timeout(3 * 60_000);
	ensureBuilt();
	const standIn = await startGitHubStandIn({
		tokens: {[token]: {kind: 'fine-grained', permissions: allFine}},
	});
	t.teardown(standIn.close);
	standIn.faults.push(...Array.from({length: 10}, (): Fault => 'server-503'));
	const {home, config} = laptop(standIn.url);
	const cli = startCli([...install, '--non-interactive', '--config', config], {
		home,
	});
	// The last pause is 4 s long; without the abort wired into it, the fourth request follows.
	await untilStderr(cli, /retry 3\/3 in 4 s/);
	cli.child.kill('SIGINT');
	const result = await cli.result;
	t.is(result.code, 130, `stderr: ${result.stderr}`);
	t.is(standIn.requests.length, 3);
	t.notRegex(result.stderr, /this is a bug|\n\s+at \S+ \(/);
	t.notThrows(() => JSON.parse(result.stdout) as unknown);
});

test('a rate-limit wait shows as a line; one Ctrl-C during it stops at once, saying nothing changed (no resume)', async t => {
	t.timeout(3 * 60_000);
	ensureBuilt();
	const standIn = await startGitHubStandIn({
		tokens: {[token]: {kind: 'fine-grained', permissions: allFine}},
	});
	t.teardown(standIn.close);
	// The limit resets in an hour: the CLI ends in time only if Ctrl-C ends the wait.
	standIn.faults.push('primary-429-for-an-hour');
	const {home, config} = laptop(standIn.url);
	const cli = startCli([...install, '--non-interactive', '--config', config], {
		home,
	});
	await untilStderr(
		cli,
		/› GitHub primary rate limit reached: retry 1 of 3 in \d+ s \(Ctrl-C stops\)\n/,
	);
	cli.child.kill('SIGINT');
	const result = await cli.result;
	t.is(result.code, 130, `stderr: ${result.stderr}`);
	t.is(standIn.requests.length, 1);
	t.is(errorLine(result), '✖ Stopped before any change; nothing was changed');
	t.notRegex(result.stderr, /resume|this is a bug|\n\s+at \S+ \(/);
	const document = JSON.parse(result.stdout) as {
		error: {kind: string; hint?: string};
	};
	t.like(document.error, {kind: 'interrupted', hint: undefined});
});
