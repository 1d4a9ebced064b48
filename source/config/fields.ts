import {z} from 'zod';
import {inputSchema, type FieldMeta} from './schema.js';

/** One leaf of the input schema, with where it can come from. */
export type Field = FieldMeta & {
	/** Dotted path in the config file, e.g. `connection.host`. */
	path: string;
	kind: 'string' | 'number' | 'boolean' | 'list' | 'choice';
	choices?: readonly string[];
	defaultValue?: unknown;
};

type Unwrapped = {inner: z.ZodType; meta?: FieldMeta; defaultValue?: unknown};

function unwrap(schema: z.ZodType): Unwrapped {
	let current = schema;
	let meta = current.meta() as FieldMeta | undefined;
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
			current = current.def.innerType as z.ZodType;
			meta ??= current.meta() as FieldMeta | undefined;
			continue;
		}

		return {inner: current, meta, defaultValue};
	}
}

function kindOf(schema: z.ZodType): Pick<Field, 'kind' | 'choices'> {
	if (schema instanceof z.ZodEnum) {
		return {kind: 'choice', choices: schema.options as string[]};
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

	return [{...meta, ...kindOf(inner), path: prefix.join('.'), defaultValue}];
}

/** Every input, in schema order. The single source for flags, env vars, docs and redaction. */
export const fields: readonly Field[] = collect(inputSchema, []);

export const fieldByPath = new Map(fields.map(field => [field.path, field]));

export const secretFields = fields.filter(field => field.secret);

/** How a user can give this input, for messages: `--host or CODEXK8S_HOST`. */
export function howToSet(field: Field): string {
	const ways = field.flag ? [`--${field.flag}`, field.env] : [field.env];
	if (field.secret) {
		ways.push(`${field.env}_FILE`);
	}

	return ways.join(' or ');
}
