import {z} from 'zod';
import {asZod, describeRule} from './rules.js';
import {fieldMeta, inputSchema, type FieldMeta} from './schema.js';

/** One leaf of the input schema, with where it can come from. */
export type Field = FieldMeta & {
	/** Dotted path in the config file, e.g. `connection.host`. */
	path: string;
	kind: 'string' | 'number' | 'boolean' | 'list' | 'choice';
	choices?: readonly string[];
	defaultValue?: unknown;
	/** What a valid value looks like, as a sentence tail: `must be a whole number from 1 to 65535`. */
	rule: string;
	/** For lists: what each item must be. */
	itemRule?: string;
};

type Unwrapped = {inner: z.ZodType; meta?: FieldMeta; defaultValue?: unknown};

const metaOf = (schema: z.ZodType) => fieldMeta.get(schema);

function unwrap(schema: z.ZodType): Unwrapped {
	let current = schema;
	let meta = metaOf(current);
	let defaultValue: unknown;
	for (;;) {
		if (current instanceof z.ZodDefault) {
			defaultValue = current.def.defaultValue;
		}

		if (
			current instanceof z.ZodOptional ||
			current instanceof z.ZodDefault ||
			current instanceof z.ZodPrefault
		) {
			current = asZod(current.def.innerType);
			meta ??= metaOf(current);
			continue;
		}

		return {inner: current, meta, defaultValue};
	}
}

function kindOf(schema: z.ZodType): Pick<Field, 'kind' | 'choices'> {
	if (schema instanceof z.ZodEnum) {
		return {kind: 'choice', choices: schema.options.map(String)};
	}

	if (schema instanceof z.ZodArray) {
		return {kind: 'list'};
	}

	if (schema instanceof z.ZodBoolean) {
		return {kind: 'boolean'};
	}

	return {kind: schema instanceof z.ZodNumber ? 'number' : 'string'};
}

function collect(schema: z.ZodType, prefix: string[]): Field[] {
	const {inner, meta, defaultValue} = unwrap(schema);
	if (inner instanceof z.ZodObject) {
		return Object.entries(inner.shape as Record<string, z.ZodType>).flatMap(
			([key, child]) => collect(child, [...prefix, key]),
		);
	}

	if (!meta) {
		throw new Error(`input field ${prefix.join('.')} has no metadata`);
	}

	const itemRule =
		inner instanceof z.ZodArray
			? describeRule(asZod(inner.element))
			: undefined;
	return [
		{
			...meta,
			...kindOf(inner),
			path: prefix.join('.'),
			defaultValue,
			rule: describeRule(inner),
			itemRule,
		},
	];
}

/** Every input, in schema order. The single source for flags, env vars, docs and redaction. */
export const fields: readonly Field[] = collect(inputSchema, []);

export const fieldByPath = new Map(fields.map(field => [field.path, field]));

export const secretFields = fields.filter(field => field.secret);

/** The config-file key: secrets are only ever referenced by a file, `github.tokenFile: PATH`. */
export const configKey = (field: Field): string =>
	field.secret ? `${field.path}File` : field.path;

/**
 * Every way a user can give this input, for messages:
 * `--port or CODEXK8S_SSH_PORT or connection.port in the config file`.
 */
export function howToSet(field: Field): string {
	const ways = [
		...(field.flag ? [`--${field.flag}`] : []),
		...(field.alsoFrom ?? []),
		field.env,
	];
	if (field.secret) {
		ways.push(
			`${field.env}_FILE`,
			`${configKey(field)}: FILE in the config file`,
		);
	} else {
		ways.push(`${field.path} in the config file`);
	}

	return ways.join(' or ');
}
