import {spawnSync} from 'node:child_process';
import {existsSync, mkdtempSync} from 'node:fs';
import {isDeepStrictEqual} from 'node:util';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import type {Field} from '../../source/config/fields.js';
import {loadInput} from '../helpers/load-input.js';
import {getPath} from '../../source/config/tree.js';
import {UsageError} from '../../source/errors.js';
import {ensureBuilt, runCli} from '../helpers/cli.js';
import {
	freeTextFields,
	hostilePayloads,
	type PayloadName,
} from '../helpers/hostile.js';

/**
 * Where an accepted hostile value goes, and which test proves it arrives there byte-exact and
 * inert: `laptop` (read on the laptop only: the CLI run below), `guest` (hostile-values-guest.ts
 * on a real guest), `cluster` (a platform Secret's value, base64 in its data:
 * test/steps/platform/hostile-secrets.ts and test/steps/platform/phase.ts).
 */
type Row = {
	accepts: readonly PayloadName[];
	goesTo?: 'laptop' | 'guest' | 'cluster';
};

const refusesAll: Row = {accepts: []};
// Paths and passphrases take any printable text: a file name or a password may hold anything.
const printable = [
	'double quote',
	'single quote',
	'semicolon',
	'command substitution',
	'backticks',
	'non-ASCII',
] as const;
// Tokens are printable ASCII without spaces: they travel in HTTP headers.
const tokenLike = printable.filter(name => name !== 'non-ASCII');

const rows: Record<string, Row> = {
	'connection.host': refusesAll,
	'connection.user': refusesAll,
	'connection.identity': {accepts: printable, goesTo: 'laptop'},
	'connection.keyPassphrase': {accepts: printable, goesTo: 'laptop'},
	'connection.hostKeyFingerprint': refusesAll,
	'connection.knownHosts': {accepts: printable, goesTo: 'laptop'},
	'connection.sudoPassword': {accepts: printable, goesTo: 'guest'},
	'operator.user': refusesAll,
	'operator.key': {accepts: printable, goesTo: 'laptop'},
	'github.repo': refusesAll,
	'github.token': {accepts: tokenLike, goesTo: 'laptop'},
	'github.apiUrl': refusesAll,
	'github.webhookUrl': refusesAll,
	'github.firstProjectRepo': refusesAll,
	domain: refusesAll,
	acmeEmail: refusesAll,
	dnsResolver: refusesAll,
	firewallKeepPorts: refusesAll,
	'platform.namespace': refusesAll,
	'platform.ownerEmail': refusesAll,
	'platform.allowedEmails': refusesAll,
	'platform.oauthClientId': refusesAll,
	'platform.oauthClientSecret': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.openaiApiKey': {accepts: tokenLike, goesTo: 'cluster'},
	// Only a JSON object is taken; a JSON object holding hostile text goes to its Secret like a token.
	'platform.openaiAuthFile': refusesAll,
	'platform.context7ApiKey': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.gitBotToken': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.webhookSecret': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.postgresPassword': refusesAll,
	'platform.appSecretKey': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.tokenEncryptionKey': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.jwtSigningKey': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.mcpTokenSigningKey': {accepts: tokenLike, goesTo: 'cluster'},
	'platform.buildRef': refusesAll,
	'platform.buildComponents': refusesAll,
	'platform.gitBotUsername': refusesAll,
	'platform.gitBotEmail': refusesAll,
	'platform.agentModel': refusesAll,
	'platform.agentLocale': refusesAll,
	'platform.baseBranch': refusesAll,
	'runner.namespace': refusesAll,
	'runner.scaleSetName': refusesAll,
	'proxy.http': refusesAll,
	'proxy.https': refusesAll,
	'proxy.noProxy': refusesAll,
	// Read on the laptop; only their contents (checked against SHA-256 sums) reach the host.
	'cluster.k3sBinary': {accepts: printable, goesTo: 'laptop'},
	'cluster.k3sImages': {accepts: printable, goesTo: 'laptop'},
	'cluster.k3sInstallScript': {accepts: printable, goesTo: 'laptop'},
	'cluster.k3sChecksums': {accepts: printable, goesTo: 'laptop'},
	'cluster.k3sInstallScriptSha256': refusesAll,
	'cluster.imagePruneCalendar': refusesAll,
};

const marker = join(mkdtempSync(join(tmpdir(), 'ck8s-hostile-')), 'marker');
const payloads = hostilePayloads(marker);

test('every free-text input of docs/configuration.md has a row in the hostile-value table', t => {
	t.deepEqual(
		freeTextFields.map(field => field.path).toSorted(),
		Object.keys(rows).toSorted(),
		'a new free-text input needs a row here (and a rule in the schema)',
	);
});

/** `kept` (byte-exact), `refused` (one line naming the field, a secret not echoed), or what went wrong. */
function outcome(field: Field, value: string): string {
	try {
		const got = getPath(
			loadInput({env: {[field.env]: value}}).input,
			field.path,
		);
		const kept = isDeepStrictEqual(
			got,
			field.kind === 'list' ? [value] : value,
		);
		return kept ? 'kept' : `changed to ${JSON.stringify(got)}`;
	} catch (error) {
		if (!(error instanceof UsageError)) {
			return `crashed: ${String(error)}`;
		}

		const problems = error.message.split('\n').slice(1);
		const named =
			problems.length === 1 && problems[0]!.startsWith(`  • ${field.path} `);
		const echoed = field.secret && error.message.includes(value);
		return named && !echoed ? 'refused' : `refused badly: ${error.message}`;
	}
}

for (const field of freeTextFields) {
	const row = rows[field.path] ?? refusesAll;
	test(`${field.path}: hostile values are refused naming it, or kept byte-exact`, t => {
		const names = Object.keys(payloads) as PayloadName[];
		t.deepEqual(
			Object.fromEntries(
				names.map(name => [name, outcome(field, payloads[name])]),
			),
			Object.fromEntries(
				names.map(name => [
					name,
					row.accepts.includes(name) ? 'kept' : 'refused',
				]),
			),
		);
	});
}

test('accepted hostile values read on the laptop run nothing there (the built CLI, offline plan)', t => {
	ensureBuilt();
	const laptop = Object.entries(rows).filter(
		([, row]) => row.goesTo === 'laptop',
	);
	for (const name of printable) {
		const env: Record<string, string> = {};
		for (const [path, row] of laptop) {
			if (row.accepts.includes(name)) {
				env[freeTextFields.find(field => field.path === path)!.env] =
					payloads[name];
			}
		}

		const result = runCli(
			['plan', '--host', '192.0.2.10', '--repo', 'acme/app'],
			{
				env,
			},
		);
		t.false(existsSync(marker), `${name}: a marker appeared on the laptop`);
		t.notRegex(result.stderr, /this is a bug|\n\s+at /, `${name}: a stack`);
		t.true([0, 1, 2].includes(result.code ?? -1), `${name}: ${result.stderr}`);
	}
});

test('a scale set name or base branch with shell characters is a usage error naming both, before connecting (issue 12 item 2)', t => {
	ensureBuilt();
	const result = runCli(
		[
			'plan',
			'--probe',
			'--only',
			'github',
			'--repo',
			'acme/app',
			'--mode',
			'local',
		],
		{
			env: {
				CODEXK8S_GITHUB_TOKEN: 'ghp_only-for-this-test',
				// A refused port: any connection attempt would fail differently.
				CODEXK8S_GITHUB_API_URL: 'http://127.0.0.1:9',
				CODEXK8S_RUNNER_SCALE_SET_NAME: 'ai;staging',
				CODEXK8S_AGENT_BASE_BRANCH: 'main$(id)',
			},
		},
	);
	t.is(result.code, 2, `exit code; stderr: ${result.stderr}`);
	const lines = result.stderr.split('\n');
	t.is(lines[0], '✖ Invalid settings:');
	t.regex(
		lines[1] ?? '',
		/^ {2}• platform\.baseBranch must be a branch name git/,
	);
	t.regex(
		lines[2] ?? '',
		/^ {2}• runner\.scaleSetName must be a Kubernetes name/,
	);
	t.notRegex(result.stderr, /this is a bug|\n\s+at /);
});

test('user@host:port, 10,000-character host and repository names, a non-ASCII login user and --operator-user root are refused, naming the field (issue 13)', t => {
	const refused = (flags: Record<string, string>) => {
		const error = t.throws(() => loadInput({flags}), {instanceOf: UsageError});
		return error?.message.split('\n').slice(1) ?? [];
	};

	t.deepEqual(refused({host: 'root@host:2222'}), [
		'  • connection.host must be an address, a host name or an ssh config alias, without user@ or :port (give those with --user and --port), got "root@host:2222" from command line (--host); set it with --host or CODEXK8S_HOST or connection.host in the config file',
	]);
	t.regex(
		refused({host: 'h'.repeat(10_000)})[0] ?? '',
		/^ {2}• connection\.host /,
	);
	t.regex(
		refused({repo: `acme/${'r'.repeat(10_000)}`})[0] ?? '',
		/^ {2}• github\.repo must be owner\/name/,
	);
	t.regex(
		refused({user: 'jürgen'})[0] ?? '',
		/^ {2}• connection\.user must be a Linux user name: up to 32 ASCII/,
	);
	t.deepEqual(refused({operatorUser: 'root'}), [
		'  • operator.user must not be root: the operator is a separate account that logs in instead of root, got "root" from command line (--operator-user); set it with --operator-user or CODEXK8S_OPERATOR_USER or operator.user in the config file',
	]);
	// What stays accepted: addresses in either family, and aliases.
	for (const host of [
		'203.0.113.10',
		'2001:db8::1',
		'[2001:db8::1]',
		'staging_box',
	]) {
		t.is(loadInput({flags: {host}}).input.connection.host, host);
	}
});

test('every base branch the schema accepts, git accepts too (git check-ref-format --branch)', t => {
	const candidates = [
		'main',
		'release/1.2',
		'feature/x_y-z',
		'ok.lock1',
		'a/b.c',
		'-x',
		'.x',
		'a..b',
		'a//b',
		'a/.b',
		'a.lock',
		'a.lock/b',
		'a/',
		'a.',
		'a b',
		'a~b',
		'a^b',
		'a:b',
		'a?b',
		'a*b',
		'a[b',
		String.raw`a\b`,
		'a@{b',
		'@',
		'HEAD~1',
	];
	const schemaAccepts = (name: string) => {
		try {
			loadInput({env: {CODEXK8S_AGENT_BASE_BRANCH: name}});
			return true;
		} catch {
			return false;
		}
	};

	const accepted = candidates.filter(name => schemaAccepts(name));
	t.deepEqual(accepted, [
		'main',
		'release/1.2',
		'feature/x_y-z',
		'ok.lock1',
		'a/b.c',
	]);
	const gitRefuses = accepted.filter(
		name =>
			spawnSync('git', ['check-ref-format', '--branch', name]).status !== 0,
	);
	t.deepEqual(gitRefuses, []);
});
