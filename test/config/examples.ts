import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {parse} from 'yaml';
import {configKey, fields, secretFields} from '../../source/config/fields.js';
import {loadInput} from '../helpers/load-input.js';
import {missingAnswers} from '../../source/config/required.js';
import {phases} from '../../source/config/schema.js';
import {getPath, isTree} from '../../source/config/tree.js';
import {freshHome, write} from './_helpers.js';

const keys = new Set(fields.flatMap(field => configKey(field).split('.')));

const example = (name: string) =>
	fileURLToPath(new URL(`../../docs/examples/${name}`, import.meta.url));

/** A home holding every secret file the examples point at. */
function homeWithSecrets(): string {
	const home = freshHome();
	for (const name of [
		'github-token',
		'oauth-client-secret',
		'git-bot-token',
		'openai-api-key',
	]) {
		write(home, `.config/codex-k8s/${name}`, `${name}-value\n`);
	}

	write(home, '.codex/auth.json', '{"tokens": {"id_token": "x"}}\n');
	return home;
}

for (const [name, mode] of [
	['local.yaml', 'local'],
	['server.yaml', 'server'],
] as const) {
	test(`docs/examples/${name} loads, is ${mode} mode and answers every phase`, t => {
		const home = homeWithSecrets();
		const asWritten = loadInput({configFile: example(name), home}).input;
		t.is(asWritten.mode, mode);
		t.deepEqual(
			missingAnswers(asWritten, phases).map(answer => answer.field.path),
			[
				'github.token',
				'platform.oauthClientSecret',
				'platform.gitBotToken',
				'platform.openaiApiKey',
			],
			'only the secrets, whose lines are commented out until their files exist',
		);
		const uncommented = join(home, name);
		writeFileSync(
			uncommented,
			readFileSync(example(name), 'utf8').replaceAll(
				/^(\s*)# (tokenFile|oauthClientSecretFile|openaiAuthFileFile|gitBotTokenFile):/gmv,
				'$1$2:',
			),
		);
		const {input} = loadInput({configFile: uncommented, home});
		t.is(input.github.token, 'github-token-value');
		t.deepEqual(
			missingAnswers(input, phases).map(answer => answer.field.path),
			[],
		);
	});

	test(`docs/examples/${name} mentions every setting, secrets only as …File`, t => {
		const text = readFileSync(example(name), 'utf8');
		// Uncomment every `# key: value` line: the result must parse and name every config key.
		const uncommented = text.replaceAll(
			/^(\s*)# (\w+):(.*)$/gmv,
			(line, indent: string, key: string, rest: string) =>
				keys.has(key) ? `${indent}${key}:${rest}` : line,
		);
		const document: unknown = parse(uncommented);
		const tree = isTree(document) ? document : {};
		for (const field of fields) {
			t.not(
				getPath(tree, configKey(field)),
				undefined,
				`${configKey(field)} is missing`,
			);
		}

		for (const field of secretFields) {
			t.is(
				getPath(tree, field.path),
				undefined,
				`${field.path} is written as a value`,
			);
		}
	});
}
