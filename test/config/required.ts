import test from 'ava';
import {loadInput} from '../helpers/load-input.js';
import {keptSecretPaths, missingAnswers} from '../../source/config/required.js';
import {phases, type Input, type Phase} from '../../source/config/schema.js';

const input = (env: Record<string, string> = {}): Input =>
	loadInput({env}).input;
const missing = (given: Input, chosen: readonly Phase[]) =>
	missingAnswers(given, chosen).map(answer => answer.field.path);

const complete = {
	CODEXK8S_HOST: 'h.example.com',
	CODEXK8S_MODE: 'local',
	CODEXK8S_GITHUB_REPO: 'acme/x',
	CODEXK8S_GITHUB_TOKEN: 't',
	CODEXK8S_BOOTSTRAP_OWNER_EMAIL: 'o@example.com',
	CODEXK8S_GITHUB_OAUTH_CLIENT_ID: 'id',
	CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: 's',
	CODEXK8S_GIT_BOT_TOKEN: 'b',
	CODEXK8S_OPENAI_API_KEY: 'k',
};

test('nothing given, every phase: everything the install needs, in wizard order', t => {
	t.deepEqual(missing(input(), phases), [
		'connection.host',
		'mode',
		'github.repo',
		'github.token',
		'platform.ownerEmail',
		'platform.oauthClientId',
		'platform.oauthClientSecret',
		'platform.gitBotToken',
		'platform.openaiApiKey',
	]);
});

test('a complete local install lacks nothing', t => {
	t.deepEqual(missing(input(complete), phases), []);
});

test('server mode also needs the domain and the e-mail, whatever the phases', t => {
	const server = input({...complete, CODEXK8S_MODE: 'server'});
	t.deepEqual(missing(server, phases), ['domain', 'acmeEmail']);
	t.deepEqual(missing(server, ['host']), ['domain', 'acmeEmail']);
	t.deepEqual(
		missing(
			input({
				...complete,
				CODEXK8S_MODE: 'server',
				CODEXK8S_DOMAIN: 's.example.com',
			}),
			phases,
		),
		['acmeEmail'],
	);
});

test('--only host needs no GitHub token and no platform answers', t => {
	t.deepEqual(missing(input(), ['host']), ['connection.host', 'mode']);
	t.deepEqual(missing(input(), ['preflight', 'host', 'cluster']), [
		'connection.host',
		'mode',
	]);
});

for (const phase of ['platform', 'runner', 'github'] as const) {
	test(`the ${phase} phase needs the repository and the token`, t => {
		const paths = missing(input({CODEXK8S_HOST: 'h', CODEXK8S_MODE: 'local'}), [
			phase,
		]);
		t.true(paths.includes('github.repo'));
		t.true(paths.includes('github.token'));
		t.is(paths.includes('platform.ownerEmail'), phase === 'platform');
	});
}

test('the Codex auth file answers instead of the OpenAI key', t => {
	const {CODEXK8S_OPENAI_API_KEY: _, ...withoutKey} = complete;
	t.deepEqual(missing(input(withoutKey), phases), ['platform.openaiApiKey']);
	t.deepEqual(
		missing(
			input({...withoutKey, CODEXK8S_OPENAI_AUTH_FILE: '{"tokens":{}}'}),
			phases,
		),
		[],
	);
	const [answer] = missingAnswers(input(withoutKey), phases);
	t.deepEqual(
		answer?.alternatives.map(field => field.path),
		['platform.openaiAuthFile'],
	);
	t.is(
		answer?.how,
		'CODEXK8S_OPENAI_API_KEY or CODEXK8S_OPENAI_API_KEY_FILE or platform.openaiApiKeyFile: FILE in the config file, or instead CODEXK8S_OPENAI_AUTH_FILE or CODEXK8S_OPENAI_AUTH_FILE_FILE or platform.openaiAuthFileFile: FILE in the config file',
	);
});

test('each missing answer says every way to give it', t => {
	const byPath = new Map(
		missingAnswers(input(), phases).map(answer => [
			answer.field.path,
			answer.how,
		]),
	);
	t.is(
		byPath.get('connection.host'),
		'--host or CODEXK8S_HOST or connection.host in the config file',
	);
	t.is(
		byPath.get('github.token'),
		'--token-file FILE or --token-stdin or CODEXK8S_GITHUB_TOKEN or CODEXK8S_GITHUB_TOKEN_FILE or github.tokenFile: FILE in the config file',
	);
	t.is(
		byPath.get('platform.oauthClientId'),
		'--oauth-client-id or CODEXK8S_GITHUB_OAUTH_CLIENT_ID or platform.oauthClientId in the config file',
	);
});

test('no phases still need the host and the mode', t => {
	t.deepEqual(missing(input(), []), ['connection.host', 'mode']);
});

test('once the cluster keeps the platform secrets, only the answers that are not secrets are needed', t => {
	const {
		CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: _secret,
		CODEXK8S_GIT_BOT_TOKEN: _bot,
		CODEXK8S_OPENAI_API_KEY: _key,
		CODEXK8S_BOOTSTRAP_OWNER_EMAIL: _owner,
		...rest
	} = complete;
	const paths = (known: {platformSecretsKept?: boolean}) =>
		missingAnswers(input(rest), phases, known).map(answer => answer.field.path);
	t.deepEqual(paths({}), [
		'platform.ownerEmail',
		'platform.oauthClientSecret',
		'platform.gitBotToken',
		'platform.openaiApiKey',
	]);
	t.deepEqual(paths({platformSecretsKept: false}), paths({}));
	t.deepEqual(paths({platformSecretsKept: true}), ['platform.ownerEmail']);
	t.deepEqual(keptSecretPaths, [
		'platform.oauthClientSecret',
		'platform.gitBotToken',
		'platform.openaiApiKey',
		'platform.openaiAuthFile',
	]);
});
