import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {stripVTControlCharacters} from 'node:util';
import test from 'ava';
import {ensureBuilt, root, runCli, runCliInTerminal} from '../helpers/cli.js';
import {makeKeyPair} from '../helpers/keys.js';
import {fakeSecret} from '../helpers/secrets.js';

const example = (name: string) => join(root, 'docs', 'examples', name);

test.before(() => {
	ensureBuilt();
});

test('--help lists every command and exits 0; each command has its own help', t => {
	const help = runCli(['--help']);
	t.is(help.code, 0);
	for (const command of [
		'install',
		'plan',
		'resume',
		'status',
		'doctor',
		'uninstall',
		'runbook',
	]) {
		t.regex(help.stdout, new RegExp(`^ {2}${command} `, 'm'));
		const own = runCli([command, '--help']);
		t.is(own.code, 0);
		t.true(
			own.stdout.startsWith(`codex-k8s-install ${command} — `),
			`help starts with: ${own.stdout.slice(0, 80)}`,
		);
	}

	t.regex(help.stdout, /--host VALUE +target address/);
	t.notRegex(help.stdout, /--token VALUE/, 'the token is never a flag');
	t.is(help.stderr, '');
});

test('plan --config without a terminal prints the plain-text plan on stdout, offline', t => {
	const result = runCli(['plan', '--config', example('local.yaml')]);
	t.is(result.code, 0, `stderr: ${result.stderr}`);
	const lines = result.stdout.split('\n');
	t.is(lines[0], 'Plan for root@203.0.113.10:22 · local mode · offline');
	t.regex(
		result.stdout,
		/^preflight {2}preflight\.node-version +already done {2}Node\.js \d+\.\d+\.\d+$/m,
	);
	t.regex(
		result.stdout,
		/^preflight {2}preflight\.answers +blocked +missing github\.token/m,
	);
	t.regex(result.stdout, /^ {4}→ github\.token: --token-file FILE/m);
	t.regex(result.stdout, /Offline plan: add --probe/);
	t.is(result.stderr, '');
});

test('plan --json prints one JSON document with per-step id, phase and status and a changes count', t => {
	const secrets = {
		CODEXK8S_GITHUB_TOKEN: fakeSecret('github_pat_'),
		CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: fakeSecret('oauth-'),
		CODEXK8S_GIT_BOT_TOKEN: fakeSecret('github_pat_'),
		CODEXK8S_OPENAI_API_KEY: fakeSecret('sk-'),
	};
	const result = runCli(
		['plan', '--json', '--config', example('server.yaml')],
		// The fresh home has no key; the key check would rightly be blocked.
		{env: {...secrets, CODEXK8S_SSH_IDENTITY: makeKeyPair().path}},
	);
	t.is(result.code, 0, `stderr: ${result.stderr}`);
	const document = JSON.parse(result.stdout) as {
		command: string;
		mode: string;
		changes: number;
		steps: Array<{id: string; phase: string; status: string; note?: string}>;
	};
	t.is(document.command, 'plan');
	t.is(document.mode, 'server');
	t.is(document.changes, 0);
	const local = [
		'preflight.node-version',
		'preflight.answers',
		'preflight.key-files',
		'preflight.known-hosts',
	];
	t.deepEqual(
		document.steps
			.slice(0, 4)
			.map(step => `${step.phase} ${step.id} ${step.status}`),
		local.map(id => `preflight ${id} done`),
	);
	const remote = document.steps.slice(4);
	t.true(remote.length > 0, 'host and GitHub steps are listed');
	t.deepEqual(
		remote
			.filter(step => step.status !== 'unknown' && step.status !== 'skipped')
			.map(step => step.id),
		[],
		'an offline plan checks nothing remote',
	);
	t.deepEqual(
		remote
			.filter(step => step.status === 'skipped')
			.map(step => `${step.id}: ${step.note}`),
		[],
		'every phase a step needs is built: none is skipped for a missing one',
	);
	t.false(
		Object.values(secrets).some(secret => result.stdout.includes(secret)),
		'no secret in the output',
	);
});

test('bad config exits 2 naming the field, the value and the fix', t => {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-bad-'));
	const file = join(directory, 'bad.yaml');
	writeFileSync(
		file,
		'connection:\n  host: 203.0.113.10\n  port: twenty-two\nmode: local\n',
	);
	const result = runCli(['plan', '--config', file]);
	t.is(result.code, 2);
	t.is(result.stdout, '');
	t.regex(
		result.stderr,
		/connection\.port must be a whole number from 1 to 65535, got "twenty-two" from config file .*bad\.yaml/,
	);
	t.regex(result.stderr, /--port or CODEXK8S_SSH_PORT/);
});

test('usage errors exit 2: unknown command, unknown flag, bad --only', t => {
	const command = runCli(['instal']);
	t.is(command.code, 2);
	t.regex(command.stderr, /Unknown command "instal"/);
	const flag = runCli(['plan', '--hots', 'x']);
	t.is(flag.code, 2);
	t.regex(flag.stderr, /Unknown option '--hots'/);
	const only = runCli(['plan', '--only', 'host,clustr', '--host', 'h']);
	t.is(only.code, 2);
	t.regex(only.stderr, /--only got unknown phase clustr/);
});

test('commands run outside their place say why and exit 1, touching nothing', t => {
	// The deploy workflow's steps run exactly these; outside a pod they fail with the reason, not a usage error.
	for (const command of ['build', 'deploy', 'status']) {
		const result = runCli([command, '--in-cluster']);
		t.is(result.code, 1, `${command} --in-cluster exits 1`);
		t.regex(result.stderr, /Not running inside a Kubernetes pod/);
	}

	// The smoke job's status reads its answers from the cluster: outside a pod it fails the same way, in JSON too.
	const smoke = runCli(['status', '--in-cluster', '--json']);
	t.is(smoke.code, 1, `stderr: ${smoke.stderr}`);
	t.like(JSON.parse(smoke.stdout), {
		ok: false,
		error: {message: 'Not running inside a Kubernetes pod', exitCode: 1},
	});

	const install = runCli([
		'install',
		'--non-interactive',
		'--yes',
		'--config',
		example('local.yaml'),
		'--only',
		'host,platform',
	]);
	t.is(install.code, 2, 'the platform phase needs its answers first');
	t.regex(install.stderr, /^✖ Missing \d+ answers: .*platform\.gitBotToken/m);
});

test('--version prints the package version', t => {
	const result = runCli(['--version']);
	t.is(result.code, 0);
	t.regex(result.stdout, /^\d+\.\d+\.\d+\n$/);
});

test('plan in a terminal draws the Ink plan view, in colour and wrapped to the terminal', t => {
	const result = runCliInTerminal(['plan', '--config', example('local.yaml')], {
		columns: 60,
	});
	t.is(result.code, 0);
	const screen = stripVTControlCharacters(result.screen);
	t.not(screen, result.screen, 'a terminal gets colour');
	t.regex(screen, /^Plan for root@203\.0\.113\.10:22 · local mode · offline$/m);
	t.regex(screen, /^ {2}✔ Node\.js version {2}already done$/m);
	t.regex(screen, /^ {2}✖ Answers for the chosen phases {2}blocked$/m);
	t.true(
		screen.split('\n').every(line => line.length <= 60),
		'no line wider than the terminal',
	);
});
