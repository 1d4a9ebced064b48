import {dirname, isAbsolute} from 'node:path';
import {parse as parseYaml} from 'yaml';
import {UsageError} from '../errors.js';
import {configKey, fields} from './fields.js';
import {readSecretFile, readText, resolvePath} from './files.js';
import type {Layer} from './layer.js';
import {getPath, isTree, setPath, type Tree} from './tree.js';

/** YAML `key:` with no value means "not set", so a template with blanks still loads. */
function withoutNulls(tree: Tree): Tree {
	const result: Tree = {};
	for (const [key, value] of Object.entries(tree)) {
		if (value !== null && value !== undefined) {
			result[key] = isTree(value) ? withoutNulls(value) : value;
		}
	}

	return result;
}

function secretsFromFiles(
	values: Tree,
	origin: string,
	folder: string,
	home?: string,
) {
	const sources: Record<string, string> = {};
	for (const field of fields.filter(field => field.secret)) {
		const fileKey = configKey(field);
		if (getPath(values, field.path) !== undefined) {
			throw new UsageError(
				`${origin}: ${field.path} is a secret and must not be written in a config file (its value is not shown)`,
				`Put it in a file readable only by you and write ${fileKey}: PATH instead, or give it with ${field.env}.`,
			);
		}

		const file = getPath(values, fileKey);
		if (file === undefined) {
			continue;
		}

		if (typeof file !== 'string' || file === '') {
			throw new UsageError(
				`${origin}: ${fileKey} must be the path of a file holding the secret`,
				`Write it like ${fileKey}: ~/.config/codex-k8s/secret.txt`,
			);
		}

		const what = `${fileKey} in ${origin}`;
		const value = readSecretFile(file, what, field.env, {home, base: folder});
		setPath(values, fileKey, undefined);
		setPath(values, field.path, value);
		sources[field.path] = fileKey;
	}

	return sources;
}

export function fileLayer(file: string, home?: string): Layer {
	const path = resolvePath(file, {home});
	const origin = `config file ${path}`;
	let parsed: unknown;
	try {
		parsed = parseYaml(readText(path, 'config file'));
	} catch (error) {
		if (error instanceof UsageError) {
			throw error;
		}

		// Only the first line: the rest is an excerpt of the file, which could hold a secret.
		const message = error instanceof Error ? error.message : String(error);
		const reason = message.split('\n')[0]!.replace(/:$/v, '');
		throw new UsageError(
			`${origin} is not valid YAML: ${reason}`,
			'Indent with spaces (not tabs) and write one `key: value` per line; docs/examples has annotated files.',
		);
	}

	if (parsed === null || parsed === undefined) {
		return {origin, values: {}};
	}

	if (!isTree(parsed)) {
		throw new UsageError(
			`${origin} must be a mapping of settings like \`connection: {host: …}\`, but it holds ${
				Array.isArray(parsed) ? 'a list' : 'a single value'
			}`,
			'See docs/examples for annotated config files.',
		);
	}

	const values = withoutNulls(parsed);
	const folder = dirname(path);
	const sources = secretsFromFiles(values, origin, folder, home);
	for (const field of fields.filter(field => field.isPath)) {
		const value = getPath(values, field.path);
		if (
			typeof value === 'string' &&
			!value.startsWith('~') &&
			!isAbsolute(value)
		) {
			setPath(values, field.path, resolvePath(value, {base: folder}));
		}
	}

	return {origin, values, sources};
}
