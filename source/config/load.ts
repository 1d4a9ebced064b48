import {readFileSync} from 'node:fs';
import {parse as parseYaml} from 'yaml';
import type {z} from 'zod';
import {UsageError} from '../engine/errors.js';
import {fields, fieldByPath, howToSet, type Field} from './fields.js';
import {inputSchema, type Input} from './schema.js';
import {expandHome, getPath, setPath, type Tree} from './tree.js';

/** Where one layer of answers came from, lowest precedence first. */
export type Layer = {origin: string; values: Tree};

export type LoadOptions = {
	flags?: Record<string, unknown>;
	env?: NodeJS.ProcessEnv;
	configFile?: string;
	saved?: Tree;
	/** Token read from stdin by `--token-stdin`. */
	stdinToken?: string;
	home?: string;
};

export type Loaded = {
	input: Input;
	/** Which layer set each path, for messages and the plan's header. */
	origins: ReadonlyMap<string, string>;
};

const readText = (file: string, what: string, home?: string): string => {
	const path = expandHome(file, home);
	try {
		return readFileSync(path, 'utf8');
	} catch (error) {
		throw new UsageError(
			`Cannot read ${what} ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
			'Check the path and its permissions.',
		);
	}
};

function fromEnvString(field: Field, raw: string): unknown {
	if (field.kind === 'list') {
		return raw
			.split(',')
			.map(item => item.trim())
			.filter(Boolean);
	}

	if (field.kind === 'boolean') {
		return ['1', 'true', 'yes'].includes(raw.toLowerCase())
			? true
			: ['0', 'false', 'no', ''].includes(raw.toLowerCase())
				? false
				: raw;
	}

	return raw;
}

export function envLayer(env: NodeJS.ProcessEnv, home?: string): Layer {
	const values: Tree = {};
	for (const field of fields) {
		const raw = env[field.env];
		if (raw !== undefined && raw !== '') {
			setPath(values, field.path, fromEnvString(field, raw));
		} else if (field.secret && env[`${field.env}_FILE`]) {
			const text = readText(env[`${field.env}_FILE`]!, `${field.env}_FILE`, home);
			setPath(values, field.path, text.trim());
		}
	}

	return {origin: 'environment', values};
}

export function flagLayer(flags: Record<string, unknown>, home?: string): Layer {
	const values: Tree = {};
	for (const field of fields) {
		const value = field.flag ? flags[camel(field.flag)] : undefined;
		if (value !== undefined) {
			setPath(values, field.path, value);
		}
	}

	if (typeof flags['tokenFile'] === 'string') {
		setPath(values, 'github.token', readText(flags['tokenFile'], '--token-file', home).trim());
	}

	return {origin: 'command line', values};
}

export function fileLayer(file: string, home?: string): Layer {
	const origin = `config file ${file}`;
	let parsed: unknown;
	try {
		parsed = parseYaml(readText(file, 'config file', home));
	} catch (error) {
		if (error instanceof UsageError) {
			throw error;
		}

		throw new UsageError(`${origin} is not valid YAML: ${(error as Error).message}`);
	}

	if (parsed === null || parsed === undefined) {
		return {origin, values: {}};
	}

	if (typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new UsageError(`${origin} must be a mapping of settings, like \`connection: {host: …}\``);
	}

	const values = parsed as Tree;
	for (const field of fields.filter(field => field.secret)) {
		if (getPath(values, field.path) !== undefined) {
			throw new UsageError(
				`${origin}: ${field.path} is a secret and must not be written in a config file`,
				`Give it as ${field.path}File: PATH in the file, or with ${howToSet(field)}.`,
			);
		}

		const fileKey = `${field.path}File`;
		const secretFile = getPath(values, fileKey);
		if (typeof secretFile === 'string') {
			setPath(values, fileKey, undefined);
			setPath(values, field.path, readText(secretFile, fileKey, home).trim());
		}
	}

	return {origin, values};
}

const camel = (flag: string) => flag.replaceAll(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

function describeIssue(issue: z.core.$ZodIssue, layers: Layer[]): string {
	const path = issue.path.join('.');
	const field = fieldByPath.get(path);
	const origin = [...layers].reverse().find(layer => getPath(layer.values, path) !== undefined);
	if (issue.code === 'unrecognized_keys') {
		const where = path ? `${path}: ` : '';
		const known = Object.keys(
			(path ? getPath(inputSchema.shape as unknown as Tree, path) : inputSchema.shape) ?? {},
		);
		return `${where}unknown setting ${issue.keys.map(key => `"${key}"`).join(', ')} in ${
			origin?.origin ?? 'input'
		}${known.length > 0 ? ` (known: ${known.join(', ')})` : ''}`;
	}

	const value = origin ? getPath(origin.values, path) : undefined;
	const shown = field?.secret ? '(hidden)' : JSON.stringify(value);
	const from = origin ? ` from ${origin.origin}` : '';
	const fix = field ? `; set it with ${howToSet(field)} or ${path} in the config file` : '';
	return `${path} ${issue.message}, got ${shown}${from}${fix}`;
}

/** Merge the layers (later wins) and validate. Bad input is a UsageError naming each field. */
export function resolveLayers(layers: Layer[]): Loaded {
	const merged: Tree = {};
	const origins = new Map<string, string>();
	for (const layer of layers) {
		for (const field of fields) {
			const value = getPath(layer.values, field.path);
			if (value !== undefined) {
				origins.set(field.path, layer.origin);
			}
		}

		deepMerge(merged, layer.values);
	}

	const result = inputSchema.safeParse(merged);
	if (!result.success) {
		const problems = result.error.issues.map(issue => `  • ${describeIssue(issue, layers)}`);
		throw new UsageError(
			`Invalid settings:\n${problems.join('\n')}`,
			'Fix the values above; `codex-k8s-install --help` lists every flag and variable.',
		);
	}

	return {input: result.data, origins};
}

function deepMerge(target: Tree, source: Tree): void {
	for (const [key, value] of Object.entries(source)) {
		const existing = target[key];
		if (isTree(value) && isTree(existing)) {
			deepMerge(existing, value);
		} else if (isTree(value)) {
			target[key] = structuredClone(value);
		} else if (value !== undefined) {
			target[key] = value;
		}
	}
}

const isTree = (value: unknown): value is Tree =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

/** Precedence: flags > env > file > saved answers > schema defaults. */
export function loadInput(options: LoadOptions): Loaded {
	const layers: Layer[] = [];
	if (options.saved) {
		layers.push({origin: 'saved answers', values: options.saved});
	}

	if (options.configFile) {
		layers.push(fileLayer(options.configFile, options.home));
	}

	layers.push(envLayer(options.env ?? {}, options.home), flagLayer(options.flags ?? {}, options.home));
	if (options.stdinToken) {
		layers.push({origin: 'standard input', values: {github: {token: options.stdinToken.trim()}}});
	}

	return resolveLayers(layers);
}
