import type {z} from 'zod';
import {
	configKey,
	fieldByPath,
	fields,
	howToSet,
	type Field,
} from './fields.js';
import {originOf, winningLayer, type Layer} from './layer.js';
import {getPath} from './tree.js';

const normalize = (key: string) => key.toLowerCase().replaceAll(/[\-_]/gv, '');

/** Edit distance counting a swap of two neighbours as one edit (`prot` → `port`). */
function distance(a: string, b: string): number {
	const rows = Array.from({length: a.length + 1}, (_, i) =>
		Array.from({length: b.length + 1}, (_, j) =>
			i === 0 ? j : j === 0 ? i : 0,
		),
	);
	for (let i = 1; i <= a.length; i++) {
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			rows[i]![j] = Math.min(
				rows[i - 1]![j]! + 1,
				rows[i]![j - 1]! + 1,
				rows[i - 1]![j - 1]! + cost,
			);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				rows[i]![j] = Math.min(rows[i]![j]!, rows[i - 2]![j - 2]! + 1);
			}
		}
	}

	return rows[a.length]![b.length]!;
}

/** The candidate closest to `typed`, when it is close enough to be a plausible typo. */
export function closest(
	typed: string,
	candidates: readonly string[],
): string | undefined {
	const wanted = normalize(typed);
	let best: {candidate: string; score: number} | undefined;
	for (const candidate of candidates) {
		const score = distance(wanted, normalize(candidate));
		if (
			score <= (wanted.length <= 4 ? 1 : 2) &&
			(!best || score < best.score)
		) {
			best = {candidate, score};
		}
	}

	return best?.candidate;
}

/** Config-file keys directly under `parent` (`''` for the top level). */
export function keysUnder(parent: string): string[] {
	const prefix = parent ? `${parent}.` : '';
	const keys = fields
		.map(field => configKey(field))
		.filter(key => key.startsWith(prefix))
		.map(key => key.slice(prefix.length).split('.')[0]!);
	return [...new Set(keys)];
}

function suggestionFor(parent: string, key: string): string | undefined {
	const prefix = parent ? `${parent}.` : '';
	const here = closest(key, keysUnder(parent));
	if (here) {
		return `${prefix}${here}`;
	}

	// A known setting put at the wrong level, or an environment variable name pasted into YAML.
	const elsewhere = fields.find(
		field =>
			field.env === key ||
			normalize(configKey(field).split('.').pop()!) === normalize(key),
	);
	return elsewhere && configKey(elsewhere);
}

function unknownKey(
	parent: string,
	key: string,
	layers: readonly Layer[],
): string {
	const path = parent ? `${parent}.${key}` : key;
	const layer = winningLayer(layers, path);
	const from = layer ? `, in ${layer.origin}` : '';
	const plain = fieldByPath.get(path.replace(/File$/v, ''));
	if (plain && !plain.secret) {
		return `${path} is not a known setting${from}: only secrets are read from a file; write ${plain.path} itself`;
	}

	const suggestion = suggestionFor(parent, key);
	if (suggestion) {
		return `${path} is not a known setting${from}; did you mean ${suggestion}?`;
	}

	return `${path} is not a known setting${from}; remove it (known here: ${keysUnder(parent).join(', ')})`;
}

// Well-known token shapes (GitHub, OpenAI), in case one was pasted into a non-secret setting.
const tokenShape = /(gh[pousr]_|github_pat_|sk-)[\w\-]{8,}/v;

/** A value for a message: quoted, shortened, never anything shaped like a token. */
export function formatValue(value: unknown): string {
	if (value === undefined) {
		return 'nothing';
	}

	if (typeof value === 'string' && tokenShape.test(value)) {
		return '(hidden: it looks like a token)';
	}

	const text = JSON.stringify(value) ?? typeof value;
	return text.length > 60 ? `${text.slice(0, 56)}…${text.at(-1)!}` : text;
}

function badGroup(
	path: string,
	issue: z.core.$ZodIssue,
	layers: readonly Layer[],
): string {
	const layer = winningLayer(layers, path);
	const value = layer ? getPath(layer.values, path) : undefined;
	// Only the kind of value: a group given a scalar may well be a secret in the wrong place.
	const kind = Array.isArray(value)
		? 'a list'
		: typeof value === 'string'
			? 'text'
			: typeof value;
	const from = layer ? ` from ${layer.origin}` : '';
	const keys = keysUnder(path);
	return keys.length > 0
		? `${path} must be a group of settings (${keys.join(', ')}), got ${kind}${from}`
		: `${path || 'the settings'}: ${issue.message}${from}`;
}

/**
 * What the value must be: zod's text only where it is our own (custom and regex messages). The
 * command line and the wizard say it the same way.
 */
export function ruleFor(
	issue: z.core.$ZodIssue,
	field: Field,
	isItem = false,
): string {
	const custom =
		issue.code === 'custom' ||
		(issue.code === 'invalid_format' && issue.format === 'regex');
	if (custom) {
		return issue.message;
	}

	return (isItem ? field.itemRule : undefined) ?? field.rule;
}

/** One line per problem: the setting, what it must be, the bad value, where it came from, the fix. */
export function describeIssue(
	issue: z.core.$ZodIssue,
	layers: readonly Layer[],
): string[] {
	const segments = issue.path.map(String);
	const path = segments.join('.');
	if (issue.code === 'unrecognized_keys') {
		return issue.keys.map(key => unknownKey(path, key, layers));
	}

	const fieldPath = issue.path
		.filter(segment => typeof segment !== 'number')
		.join('.');
	const field = fieldByPath.get(fieldPath);
	if (!field) {
		return [badGroup(path, issue, layers)];
	}

	const layer = winningLayer(layers, fieldPath);
	const value = layer ? getPath(layer.values, path) : undefined;
	const shown = field.secret ? '(hidden)' : formatValue(value);
	const from = layer ? ` from ${originOf(layer, fieldPath)}` : '';
	const isItem = path !== fieldPath;
	const subject = isItem
		? `${fieldPath} item ${Number(segments.at(-1)) + 1}`
		: fieldPath;
	const typo =
		field.choices && typeof value === 'string'
			? closest(value, field.choices)
			: undefined;
	const hint = typo ? ` (did you mean ${typo}?)` : '';
	return [
		`${subject} ${ruleFor(issue, field, isItem)}, got ${shown}${from}${hint}; set it with ${howToSet(field)}`,
	];
}
