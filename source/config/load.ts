import {UsageError} from '../errors.js';
import {envLayer, flagLayer} from './env-layers.js';
import {fileLayer} from './file-layer.js';
import {fields} from './fields.js';
import {describeIssue} from './issues.js';
import {winningLayer, originOf, type Layer} from './layer.js';
import {inputSchema, type Input} from './schema.js';
import {getPath, mergeTree, setPath, type Tree} from './tree.js';

export type {Layer} from './layer.js';
export {envLayer, flagLayer} from './env-layers.js';
export {fileLayer} from './file-layer.js';

export type ReadOptions = {
	/** Parsed flags, camelCase as the CLI gives them (`hostKeyFingerprint`, `tokenFile`). */
	flags?: Record<string, unknown>;
	env?: NodeJS.ProcessEnv;
	configFile?: string;
	/** Token read from stdin by `--token-stdin`. */
	stdinToken?: string;
	home?: string;
};

export type Loaded = {
	input: Input;
	/**
	 * Where each field's value came from, e.g. `environment (CODEXK8S_SSH_PORT)`, `command line (--port)`,
	 * `config file /abs/path.yaml`, `saved answers` or `standard input (--token-stdin)`. Fields nobody
	 * set (unset, or at their default) are absent, so only real answers get saved.
	 */
	origins: ReadonlyMap<string, string>;
};

export function savedLayer(saved: Tree): Layer {
	const values: Tree = {};
	for (const field of fields) {
		const value = getPath(saved, field.path);
		// Answers saved by another version may name settings that are gone; secrets are never trusted
		// from disk.
		if (value !== undefined && value !== null && !field.secret) {
			setPath(values, field.path, value);
		}
	}

	return {origin: 'saved answers', values};
}

const secretValues = (layers: readonly Layer[]): string[] =>
	layers.flatMap(layer =>
		fields
			.filter(field => field.secret)
			.map(field => getPath(layer.values, field.path))
			.filter(
				(value): value is string =>
					typeof value === 'string' && value.length >= 4,
			),
	);

function redact(text: string, secrets: readonly string[]): string {
	let result = text;
	for (const secret of secrets) {
		result = result.replaceAll(secret, '(hidden)');
	}

	return result;
}

function merge(layers: readonly Layer[]): Tree {
	const merged: Tree = {};
	for (const layer of layers) {
		mergeTree(merged, layer.values);
	}

	return merged;
}

/**
 * The connection answers of the layers alone, read before the rest is validated: they name the
 * target whose saved answers join the layers. Undefined while they are not valid; resolving the
 * layers then says why.
 */
export function connectionOf(
	layers: readonly Layer[],
): Input['connection'] | undefined {
	const result = inputSchema.shape.connection.safeParse(
		merge(layers)['connection'],
	);
	return result.success ? result.data : undefined;
}

/** Merge the layers (later wins) and validate. Bad input is a UsageError naming each field. */
export function resolveLayers(layers: Layer[]): Loaded {
	const merged = merge(layers);

	const origins = new Map<string, string>();
	for (const field of fields) {
		const layer = winningLayer(layers, field.path);
		if (layer) {
			origins.set(field.path, originOf(layer, field.path));
		}
	}

	const result = inputSchema.safeParse(merged);
	if (!result.success) {
		const seen = new Set<string>();
		const issues = result.error.issues.filter(issue => {
			const key = `${issue.code === 'unrecognized_keys' ? '?' : ''}${issue.path.join('.')}`;
			return !seen.has(key) && seen.add(key);
		});
		const secrets = secretValues(layers);
		const problems = issues
			.flatMap(issue => describeIssue(issue, layers))
			.map(problem => `  • ${redact(problem, secrets)}`);
		throw new UsageError(
			`Invalid settings:\n${problems.join('\n')}`,
			'docs/configuration.md lists every setting, and `codex-k8s-install --help` every flag.',
		);
	}

	return {input: result.data, origins};
}

/** The layers the operator gave this time (config file, environment, flags, stdin), lowest first. */
export function readLayers(options: ReadOptions): Layer[] {
	const layers: Layer[] = [];
	if (options.configFile) {
		layers.push(fileLayer(options.configFile, options.home));
	}

	const flags = options.flags ?? {};
	if (options.stdinToken !== undefined && flags['tokenFile'] !== undefined) {
		throw new UsageError(
			'--token-file and --token-stdin both give the GitHub token',
			'Use one of them.',
		);
	}

	layers.push(
		envLayer(options.env ?? {}, options.home),
		flagLayer(flags, options.home),
	);
	if (options.stdinToken !== undefined) {
		const token = options.stdinToken.trim();
		if (token === '') {
			throw new UsageError(
				'--token-stdin was given but standard input held no token',
				'Pipe it in (`codex-k8s-install --token-stdin < token.txt`), or use --token-file FILE or CODEXK8S_GITHUB_TOKEN.',
			);
		}

		layers.push({
			origin: 'standard input',
			values: {github: {token}},
			sources: {'github.token': '--token-stdin'},
		});
	}

	return layers;
}
