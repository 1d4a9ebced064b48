import {UsageError} from '../errors.js';
import {fields, type Field} from './fields.js';
import {readSecretFile} from './files.js';
import type {Layer} from './layer.js';
import {setPath, type Tree} from './tree.js';

const truthy = new Set(['1', 'true', 'yes', 'on']);
const falsy = new Set(['0', 'false', 'no', 'off']);

function fromEnvString(field: Field, raw: string): unknown {
	if (field.kind === 'list') {
		return raw
			.split(',')
			.map(item => item.trim())
			.filter(Boolean);
	}

	if (field.kind === 'boolean') {
		const word = raw.trim().toLowerCase();
		return truthy.has(word) ? true : falsy.has(word) ? false : raw;
	}

	return raw;
}

/** `CODEXK8S_*` variables; an empty variable counts as unset. Secrets may come from `…_FILE`. */
export function envLayer(env: NodeJS.ProcessEnv, home?: string): Layer {
	const values: Tree = {};
	const sources: Record<string, string> = {};
	for (const field of fields) {
		const raw = env[field.env];
		const fileVariable = `${field.env}_FILE`;
		const file = field.secret ? env[fileVariable] : undefined;
		if (raw !== undefined && raw !== '' && file) {
			throw new UsageError(
				`Both ${field.env} and ${fileVariable} are set`,
				`Unset one of them: ${field.env} holds the value, ${fileVariable} the path of a file holding it.`,
			);
		}

		if (raw !== undefined && raw !== '') {
			setPath(values, field.path, fromEnvString(field, raw));
			sources[field.path] = field.env;
		} else if (file) {
			setPath(
				values,
				field.path,
				readSecretFile(file, fileVariable, field.env, {home}),
			);
			sources[field.path] = fileVariable;
		}
	}

	return {origin: 'environment', values, sources};
}

const camel = (flag: string) =>
	flag.replaceAll(/-(\w)/gv, (_, letter: string) => letter.toUpperCase());

export function flagLayer(
	flags: Record<string, unknown>,
	home?: string,
): Layer {
	const values: Tree = {};
	const sources: Record<string, string> = {};
	for (const field of fields) {
		const value = field.flag ? flags[camel(field.flag)] : undefined;
		if (value !== undefined) {
			setPath(values, field.path, value);
			sources[field.path] = `--${field.flag!}`;
		}
	}

	const {tokenFile} = flags;
	if (typeof tokenFile === 'string') {
		const fix = 'CODEXK8S_GITHUB_TOKEN or --token-stdin';
		setPath(
			values,
			'github.token',
			readSecretFile(tokenFile, '--token-file', fix, {home}),
		);
		sources['github.token'] = '--token-file';
	}

	return {origin: 'command line', values, sources};
}
