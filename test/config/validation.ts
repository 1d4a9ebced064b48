import test from 'ava';
import {UsageError} from '../../source/errors.js';
import {loadInput} from '../helpers/load-input.js';
import {freshHome, usageError, write} from './_helpers.js';

/** The bullet lines of an "Invalid settings" error. */
function problems(
	t: Parameters<typeof usageError>[0],
	load: () => unknown,
): string[] {
	const text = usageError(t, load);
	t.true(text.startsWith('Invalid settings:\n'), `${text}`);
	return text
		.split('\n')
		.filter(line => line.startsWith('  • '))
		.map(line => line.slice(4));
}

const configFile = (text: string) =>
	write(freshHome(), 'settings.yaml', `${text}`);

test('a bad number names the field, the rule, the value, its variable and every fix', t => {
	t.deepEqual(
		problems(t, () => loadInput({env: {CODEXK8S_SSH_PORT: '22x'}})),
		[
			'connection.port must be a whole number from 1 to 65535, got "22x" from environment (CODEXK8S_SSH_PORT); set it with --port or CODEXK8S_SSH_PORT or connection.port in the config file',
		],
	);
});

test('too small and too big numbers give the same range', t => {
	t.deepEqual(
		problems(t, () => loadInput({flags: {port: '0'}})),
		[
			'connection.port must be a whole number from 1 to 65535, got "0" from command line (--port); set it with --port or CODEXK8S_SSH_PORT or connection.port in the config file',
		],
	);
	const file = configFile('connection:\n  port: 70000\n');
	t.deepEqual(
		problems(t, () => loadInput({configFile: file})),
		[
			`connection.port must be a whole number from 1 to 65535, got 70000 from config file ${file}; set it with --port or CODEXK8S_SSH_PORT or connection.port in the config file`,
		],
	);
});

test('a number with only a lower bound says so', t => {
	t.deepEqual(
		problems(t, () => loadInput({env: {CODEXK8S_ROLLOUT_TIMEOUT: '-5'}})),
		[
			'timeouts.rollout must be a whole number of at least 1, got "-5" from environment (CODEXK8S_ROLLOUT_TIMEOUT); set it with CODEXK8S_ROLLOUT_TIMEOUT or timeouts.rollout in the config file',
		],
	);
	t.deepEqual(
		problems(t, () => loadInput({env: {CODEXK8S_RUNNER_MAX: '1.5'}})),
		[
			'runner.max must be a whole number from 1 to 20, got "1.5" from environment (CODEXK8S_RUNNER_MAX); set it with CODEXK8S_RUNNER_MAX or runner.max in the config file',
		],
	);
});

test('text that is too short', t => {
	const file = configFile('platform:\n  agentLocale: e\n');
	t.deepEqual(
		problems(t, () => loadInput({configFile: file})),
		[
			`platform.agentLocale must be a language tag like en, ru or pt-BR, got "e" from config file ${file}; set it with CODEXK8S_AGENT_DEFAULT_LOCALE or platform.agentLocale in the config file`,
		],
	);
});

test('a value of the wrong type in the config file', t => {
	const file = configFile('connection:\n  user: [root]\n');
	t.deepEqual(
		problems(t, () => loadInput({configFile: file})),
		[
			`connection.user must be a Linux user name: up to 32 ASCII letters, digits, _ . and -, got ["root"] from config file ${file}; set it with --user or CODEXK8S_SSH_USER or connection.user in the config file`,
		],
	);
});

test('e-mail and URL formats', t => {
	t.deepEqual(
		problems(t, () =>
			loadInput({flags: {acmeEmail: 'bob', githubApiUrl: 'api.github'}}),
		),
		[
			'github.apiUrl must be an http:// or https:// URL without spaces, quotes or shell characters (percent-encode them: " is %22), got "api.github" from command line (--github-api-url); set it with --github-api-url or CODEXK8S_GITHUB_API_URL or github.apiUrl in the config file',
			'acmeEmail must be an e-mail address like you@example.com, got "bob" from command line (--acme-email); set it with --acme-email or CODEXK8S_ACME_EMAIL or acmeEmail in the config file',
		],
	);
});

test('a list item names its position', t => {
	t.deepEqual(
		problems(t, () =>
			loadInput({
				env: {CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS: 'a@example.com,bob'},
			}),
		),
		[
			'platform.allowedEmails item 2 must be an e-mail address like you@example.com, got "bob" from environment (CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS); set it with CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS or platform.allowedEmails in the config file',
		],
	);
});

test('a choice lists the choices and suggests the closest', t => {
	t.deepEqual(
		problems(t, () => loadInput({flags: {mode: 'Lokal'}})),
		[
			'mode must be one of: local, server, got "Lokal" from command line (--mode) (did you mean local?); set it with --mode or CODEXK8S_MODE or mode in the config file',
		],
	);
	t.deepEqual(
		problems(t, () => loadInput({flags: {mode: 'cloud'}})),
		[
			'mode must be one of: local, server, got "cloud" from command line (--mode); set it with --mode or CODEXK8S_MODE or mode in the config file',
		],
	);
});

test('our own pattern messages are kept as they are', t => {
	t.deepEqual(
		problems(t, () =>
			loadInput({
				flags: {
					repo: 'codex-k8s',
					hostKeyFingerprint: 'MD5:aa',
					domain: 'localhost',
				},
				env: {CODEXK8S_OPERATOR_USER: 'Admin'},
			}),
		),
		[
			'connection.hostKeyFingerprint must be a SHA256:… fingerprint as printed by `ssh-keygen -lf`, got "MD5:aa" from command line (--host-key-fingerprint); set it with --host-key-fingerprint or CODEXK8S_HOST_KEY_FINGERPRINT or connection.hostKeyFingerprint in the config file',
			'operator.user must be a Linux user name other than root: up to 32 lower case letters, digits, _ and -, starting with a letter or _, got "Admin" from environment (CODEXK8S_OPERATOR_USER); set it with --operator-user or CODEXK8S_OPERATOR_USER or operator.user in the config file',
			'github.repo must be owner/name, like acme/codex-k8s, got "codex-k8s" from command line (--repo); set it with --repo or CODEXK8S_GITHUB_REPO or github.repo in the config file',
			'domain must be a fully qualified domain name like staging.example.com, got "localhost" from command line (--domain); set it with --domain or CODEXK8S_DOMAIN or domain in the config file',
		],
	);
});

test('one line per field even when a value breaks several rules', t => {
	t.deepEqual(
		problems(t, () => loadInput({flags: {host: ''}})),
		[
			'connection.host must be an address, a host name or an ssh config alias, without user@ or :port (give those with --user and --port), got "" from command line (--host); set it with --host or CODEXK8S_HOST or connection.host in the config file',
		],
	);
});

test('a secret that breaks a rule is shown as (hidden), with its source and fixes', t => {
	t.deepEqual(
		problems(t, () => loadInput({env: {CODEXK8S_GITHUB_TOKEN: 'Bearer abc'}})),
		[
			'github.token must be the token alone: printable ASCII, with no spaces or line breaks, got (hidden) from environment (CODEXK8S_GITHUB_TOKEN); set it with --token-file FILE or --token-stdin or CODEXK8S_GITHUB_TOKEN or CODEXK8S_GITHUB_TOKEN_FILE or github.tokenFile: FILE in the config file',
		],
	);
});

test('the Codex auth file must be its JSON contents, not its path', t => {
	t.deepEqual(
		problems(t, () =>
			loadInput({
				env: {CODEXK8S_OPENAI_AUTH_FILE: '/home/me/.codex/auth.json'},
			}),
		),
		[
			'platform.openaiAuthFile must be the JSON contents of Codex’s auth.json, not a path to it (give a path with CODEXK8S_OPENAI_AUTH_FILE_FILE or platform.openaiAuthFileFile), got (hidden) from environment (CODEXK8S_OPENAI_AUTH_FILE); set it with CODEXK8S_OPENAI_AUTH_FILE or CODEXK8S_OPENAI_AUTH_FILE_FILE or platform.openaiAuthFileFile: FILE in the config file',
		],
	);
	const {input} = loadInput({
		env: {CODEXK8S_OPENAI_AUTH_FILE: '{"tokens": {}}'},
	});
	t.is(input.platform.openaiAuthFile, '{"tokens": {}}');
});

test('a group given a single value', t => {
	const file = configFile('runner: 5\nproxy: [a]\n');
	t.deepEqual(
		problems(t, () => loadInput({configFile: file})),
		[
			`runner must be a group of settings (namespace, scaleSetName, min, max), got number from config file ${file}`,
			`proxy must be a group of settings (http, https, noProxy), got a list from config file ${file}`,
		],
	);
});

test('every problem is reported at once, as a usage error (exit 2)', t => {
	const error = t.throws(
		() =>
			loadInput({
				flags: {port: 'x', mode: 'both'},
				env: {CODEXK8S_ACME_EMAIL: 'nope'},
			}),
		{instanceOf: UsageError},
	);
	t.is(error?.exitCode, 2);
	t.is(error?.message.split('\n').length, 4);
	t.regex(error?.hint ?? '', /docs\/configuration\.md/v);
});

test('long values are shortened in messages', t => {
	const [line] = problems(t, () => loadInput({flags: {repo: 'x'.repeat(200)}}));
	t.true(line!.includes(`got "${'x'.repeat(55)}…"`), `${line}`);
	t.false(line!.includes('x'.repeat(100)));
});
