import {spawnSync} from 'node:child_process';
import {chmodSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {configKey, secretFields} from '../../source/config/fields.js';
import {loadInput, type LoadOptions} from '../helpers/load-input.js';
import {getPath} from '../../source/config/tree.js';
import {freshHome, usageError, write} from './_helpers.js';

// Shaped like no known token on purpose: only the secret handling itself may hide it.
const canary = 'canary-c4n4ry-K9x2-value';

test('CODEXK8S_GITHUB_TOKEN_FILE reads the token from a file, trimmed', t => {
	const home = freshHome();
	const file = write(home, 'token', `  ${canary}\n\n`);
	const {input, origins} = loadInput({
		env: {CODEXK8S_GITHUB_TOKEN_FILE: file},
		home,
	});
	t.is(input.github.token, canary);
	t.is(origins.get('github.token'), 'environment (CODEXK8S_GITHUB_TOKEN_FILE)');
});

test('every secret has a …_FILE variable', t => {
	const home = freshHome();
	const env = Object.fromEntries(
		secretFields.map(field => [
			`${field.env}_FILE`,
			write(
				home,
				field.path,
				field.path.endsWith('AuthFile')
					? '{"a":1}'
					: field.path.endsWith('postgresPassword')
						? 'sekret-0123456789abcdef'
						: 'sekret',
			),
		]),
	);
	const {input, origins} = loadInput({env, home});
	for (const field of secretFields) {
		t.truthy(getPath(input, field.path), `${field.path}`);
		t.is(origins.get(field.path), `environment (${field.env}_FILE)`);
	}
});

test('--token-file reads the token, ~ meaning the given home', t => {
	const home = freshHome();
	write(home, '.config/gh-token', `${canary}\n`);
	const {input, origins} = loadInput({
		flags: {tokenFile: '~/.config/gh-token'},
		home,
	});
	t.is(input.github.token, canary);
	t.is(origins.get('github.token'), 'command line (--token-file)');
});

test('--token-file beats CODEXK8S_GITHUB_TOKEN', t => {
	const home = freshHome();
	const file = write(home, 't', 'from-file');
	const {input} = loadInput({
		flags: {tokenFile: file},
		env: {CODEXK8S_GITHUB_TOKEN: 'from-env'},
		home,
	});
	t.is(input.github.token, 'from-file');
});

test('a …File key in the config file reads the secret, relative to the file', t => {
	const home = freshHome();
	write(home, 'conf/secrets/token', canary);
	const configFile = write(
		home,
		'conf/c.yaml',
		'github:\n  tokenFile: secrets/token\n',
	);
	const {input, origins} = loadInput({configFile, home});
	t.is(input.github.token, canary);
	t.is(
		origins.get('github.token'),
		`config file ${configFile} (github.tokenFile)`,
	);
});

for (const field of secretFields) {
	test(`${field.path} written in the config file is refused, value unseen`, t => {
		const home = freshHome();
		const [group, key] = field.path.split('.');
		const configFile = write(
			home,
			'c.yaml',
			`${group!}:\n  ${key!}: ${canary}\n`,
		);
		const text = usageError(t, () => loadInput({configFile, home}));
		t.is(
			text.split('\n')[0],
			`config file ${configFile}: ${field.path} is a secret and must not be written in a config file (its value is not shown)`,
		);
		t.true(
			text.includes(
				`write ${configKey(field)}: PATH instead, or give it with ${field.env}`,
			),
		);
		t.false(text.includes(canary));
	});
}

test('a …File key that is not a path is refused', t => {
	const home = freshHome();
	const configFile = write(home, 'c.yaml', 'github:\n  tokenFile: 12345\n');
	const text = usageError(t, () => loadInput({configFile, home}));
	t.true(
		text.includes(
			'github.tokenFile must be the path of a file holding the secret',
		),
		`${text}`,
	);
	t.false(text.includes('12345'));
});

test('a secret file that does not exist names the file and the variable', t => {
	const home = freshHome();
	const file = join(home, 'missing-token.txt');
	t.is(
		usageError(t, () =>
			loadInput({env: {CODEXK8S_GITHUB_TOKEN_FILE: file}, home}),
		),
		`Cannot read the secret file ${file} named by CODEXK8S_GITHUB_TOKEN_FILE: it does not exist\nCheck the path and its permissions (the file should be readable by you only: chmod 600).`,
	);
});

/*
 * Root reads any file whatever its mode, so as root the load runs in a child process as `nobody`
 * (uid 65534): the file really is unreadable to the reader either way.
 */
test('an unreadable secret file says why', t => {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-locked-'));
	chmodSync(directory, 0o755);
	const file = join(directory, 'locked');
	writeFileSync(file, canary, {mode: 0o600});
	const script = `import {loadInput} from ${JSON.stringify(new URL('../helpers/load-input.ts', import.meta.url).href)};
try { loadInput({flags: {tokenFile: ${JSON.stringify(file)}}, home: '/'}); console.log('loaded'); } catch (error) { console.log(error.message); }`;
	const asRoot = process.getuid?.() === 0;
	if (!asRoot) {
		chmodSync(file, 0o000);
	}

	const result = spawnSync(
		process.execPath,
		['--import=tsx', '--input-type=module', '-e', script],
		{
			encoding: 'utf8',
			cwd: new URL('../../', import.meta.url),
			...(asRoot
				? {uid: 65_534, gid: 65_534, env: {...process.env, HOME: '/'}}
				: {}),
		},
	);
	const text = result.stdout + result.stderr;
	t.true(
		text.includes('named by --token-file: permission denied'),
		`expected permission denied, got: ${text}`,
	);
	t.false(text.includes(canary));
});

test('a folder given as a secret file says so', t => {
	const home = freshHome();
	const text = usageError(t, () => loadInput({flags: {tokenFile: home}, home}));
	t.true(
		text.includes(`named by --token-file: it is a folder, not a file`),
		`${text}`,
	);
});

test('an empty secret file is refused', t => {
	const home = freshHome();
	const file = write(home, 'empty', ' \n');
	const configFile = write(
		home,
		'c.yaml',
		`platform:\n  gitBotTokenFile: ${file}\n`,
	);
	t.true(
		usageError(t, () => loadInput({configFile, home})).startsWith(
			`The secret file ${file} named by platform.gitBotTokenFile in config file ${configFile} is empty`,
		),
	);
});

test('a secret put where its file path belongs is not echoed', t => {
	const text = usageError(t, () =>
		loadInput({env: {CODEXK8S_GITHUB_TOKEN_FILE: canary}, home: freshHome()}),
	);
	t.true(
		text.includes(
			'CODEXK8S_GITHUB_TOKEN_FILE must be the path of a file holding the secret',
		),
		`${text}`,
	);
	t.true(
		text.includes('set it directly with CODEXK8S_GITHUB_TOKEN'),
		`${text}`,
	);
	t.false(text.includes(canary));
});

test('a secret and its …_FILE variable together are refused', t => {
	const home = freshHome();
	const text = usageError(t, () =>
		loadInput({
			env: {
				CODEXK8S_GIT_BOT_TOKEN: canary,
				CODEXK8S_GIT_BOT_TOKEN_FILE: write(home, 'x', 'y'),
			},
			home,
		}),
	);
	t.true(
		text.startsWith(
			'Both CODEXK8S_GIT_BOT_TOKEN and CODEXK8S_GIT_BOT_TOKEN_FILE are set',
		),
	);
	t.false(text.includes(canary));
});

test('--token-file with --token-stdin is refused; empty stdin is refused', t => {
	const home = freshHome();
	const file = write(home, 't', 'x');
	t.true(
		usageError(t, () =>
			loadInput({flags: {tokenFile: file}, stdinToken: 'y', home}),
		).startsWith('--token-file and --token-stdin both give the GitHub token'),
	);
	t.true(
		usageError(t, () => loadInput({stdinToken: ' \n', home})).startsWith(
			'--token-stdin was given but standard input held no token',
		),
	);
});

/** Ways a secret reaches an error path; none may let the canary through. */
const leaks: Record<string, (home: string) => LoadOptions> = {
	'secret in the config file': home => ({
		configFile: write(home, 'c.yaml', `github:\n  token: ${canary}\n`),
	}),
	'secret in a config file that is also invalid YAML': home => ({
		configFile: write(
			home,
			'c.yaml',
			`github:\n  token: ${canary}\n  repo: [a\n`,
		),
	}),
	'secret on the line YAML complains about': home => ({
		configFile: write(home, 'c.yaml', `github:\n  token: "${canary}\n`),
	}),
	'secret given as a group': home => ({
		configFile: write(home, 'c.yaml', `github: ${canary}\n`),
	}),
	'secret under a misspelt key': home => ({
		configFile: write(home, 'c.yaml', `github:\n  tokn: ${canary}\n`),
	}),
	'secret that breaks a rule': () => ({
		env: {CODEXK8S_OPENAI_API_KEY: `${canary} x`},
	}),
	'file holding more than the token': home => ({
		env: {CODEXK8S_GITHUB_TOKEN_FILE: write(home, 't', `token: ${canary}\n`)},
	}),
	'auth file given as a path': () => ({
		env: {CODEXK8S_OPENAI_AUTH_FILE: canary},
	}),
	'secret also pasted into a plain setting': () => ({
		env: {CODEXK8S_GITHUB_TOKEN: canary},
		flags: {repo: canary, mode: canary},
	}),
	'secret as its own file path': () => ({
		env: {CODEXK8S_SUDO_PASSWORD_FILE: canary},
	}),
	'secret in a config …File key': home => ({
		configFile: write(
			home,
			'c.yaml',
			`connection:\n  keyPassphraseFile: ${canary}\n`,
		),
	}),
	'secret with its …_FILE twin': home => ({
		env: {
			CODEXK8S_GITHUB_TOKEN: canary,
			CODEXK8S_GITHUB_TOKEN_FILE: write(home, 't', canary),
		},
	}),
	'secret with another setting wrong': () => ({
		env: {CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: canary, CODEXK8S_SSH_PORT: 'x'},
	}),
};

for (const [name, options] of Object.entries(leaks)) {
	test(`no error shows a secret: ${name}`, t => {
		const home = freshHome();
		const text = usageError(t, () => loadInput({home, ...options(home)}));
		t.false(text.includes(canary), `${text}`);
		t.false(text.includes('c4n4ry'), `${text}`);
	});
}
