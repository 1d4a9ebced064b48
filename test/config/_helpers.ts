import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {dirname, join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {UsageError} from '../../source/errors.js';
import type {Field} from '../../source/config/fields.js';

/** A fresh temporary folder, also used as the home so nothing touches the real one. */
export function freshHome(): string {
	return mkdtempSync(join(tmpdir(), 'ck8s-config-'));
}

/** Write `text` at `path` under `root` (creating folders) and return the absolute path. */
export function write(root: string, path: string, text: string): string {
	const file = join(root, path);
	mkdirSync(dirname(file), {recursive: true});
	writeFileSync(file, `${text}`);
	return file;
}

/** Run `load`, expect a UsageError, and return its message and hint as one text. */
export function usageError(t: ExecutionContext, load: () => unknown): string {
	const error = t.throws(load, {instanceOf: UsageError});
	return `${error?.message ?? ''}\n${error?.hint ?? ''}`;
}

/** A valid value for any field, as the text an environment variable or flag would carry. */
export function sample(field: Field, variant = 0): string {
	const n = variant + 1;
	const byPath: Record<string, string> = {
		'connection.hostKeyFingerprint': `SHA256:${String(n).repeat(43)}`,
		'operator.user': `ops${n}`,
		'github.repo': `acme/repo${n}`,
		'github.firstProjectRepo': `acme/first${n}`,
		domain: `staging${n}.example.com`,
		'platform.openaiAuthFile': `{"n":${n}}`,
		'platform.agentLocale': ['en', 'ru', 'de', 'fr'][variant % 4]!,
		firewallKeepPorts: `${8080 + n}/tcp`,
		dnsResolver: `192.0.2.${n}:53`,
		'platform.postgresPassword': `pg-password-${n}-0123456789`,
		'cluster.k3sInstallScriptSha256': String(n).repeat(64),
		// Above the low threshold's default and sample, as the schema requires.
		'cluster.imageGcHigh': String(80 + n),
		'cluster.imageGcLow': String(10 + n),
		'platform.buildComponents': ['api-gateway', 'worker', 'web-console'][
			variant % 3
		]!,
	};
	if (byPath[field.path]) {
		return byPath[field.path]!;
	}

	if (field.isPath) {
		return `/srv/keys/file-${n}`;
	}

	const byKind: Record<Field['kind'], () => string> = {
		number: () => String(n + 1),
		boolean: () => (variant % 2 === 0 ? 'false' : 'true'),
		choice: () => field.choices![variant % field.choices!.length]!,
		list: () => `a${n}@example.com`,
		string: () =>
			field.rule.includes('e-mail')
				? `user${n}@example.com`
				: field.rule.includes('URL')
					? `https://h${n}.example.com`
					: `value-${n}`,
	};
	return byKind[field.kind]();
}

/** What a loaded input holds for `sample(field, variant)`. */
export function parsed(field: Field, variant = 0): unknown {
	const text = sample(field, variant);
	if (field.kind === 'number') {
		return Number(text);
	}

	if (field.kind === 'boolean') {
		return text === 'true';
	}

	if (field.kind === 'list') {
		return [text];
	}

	return text;
}
