import {readFileSync} from 'node:fs';
import test from 'ava';
import {configKey, fields} from '../../source/config/fields.js';
import {renderReference} from '../../source/config/reference.js';

const committed = () =>
	readFileSync(new URL('../../docs/configuration.md', import.meta.url), 'utf8');

test('docs/configuration.md is the generated reference', t => {
	t.is(
		committed(),
		renderReference(),
		'docs/configuration.md is stale: run `npm run docs:config` and commit the result',
	);
});

test('the reference has one row per setting, with its key, variable and flag', t => {
	const rows = renderReference()
		.split('\n')
		.filter(line => line.startsWith('| `'));
	t.is(rows.length, fields.length);
	for (const field of fields) {
		const row = rows.find(line => line.startsWith(`| \`${configKey(field)}\``));
		t.truthy(row, `${field.path}`);
		t.true(row!.includes(`\`${field.env}\``), `${field.path}`);
		t.true(
			!field.flag || row!.includes(`\`--${field.flag}\``),
			`${field.path}`,
		);

		t.is(row!.includes('| yes |'), Boolean(field.secret), `${field.path}`);
	}
});

test('the reference shows defaults and what each setting accepts', t => {
	const text = renderReference();
	t.true(
		text.includes(
			'| `connection.port` | `--port` | `CODEXK8S_SSH_PORT` |  |  | SSH port (default 22 or from ssh config). Accepts a whole number from 1 to 65535. |',
		),
	);
	t.true(
		text.includes(
			'| `timeouts.rollout` |  | `CODEXK8S_ROLLOUT_TIMEOUT` | `1800` |',
		),
	);
	t.true(
		text.includes(
			'| `github.tokenFile` (a file path) | `--token-file FILE`, `--token-stdin` | `CODEXK8S_GITHUB_TOKEN`, `CODEXK8S_GITHUB_TOKEN_FILE` |  | yes |',
		),
	);
	t.true(text.includes('Accepts one of: local, server.'));
});
