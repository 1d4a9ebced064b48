import {z} from 'zod';

type CheckDef = {
	check: string;
	value: unknown;
	inclusive: unknown;
	minimum: unknown;
	message: unknown;
};

// Zod types a check's parameters only on each check's own class, so read them by name.
const checksOf = (schema: z.ZodType): CheckDef[] =>
	(schema._zod.def.checks ?? []).map(({_zod: {def}}) => ({
		check: def.check,
		value: Reflect.get(def, 'value') as unknown,
		inclusive: Reflect.get(def, 'inclusive') as unknown,
		minimum: Reflect.get(def, 'minimum') as unknown,
		// A string given as the error is stored as a function returning it.
		message:
			def.error && def.check !== 'min_length'
				? (Reflect.apply(def.error, undefined, []) as unknown)
				: undefined,
	}));

/** The classic zod type inside a wrapper (zod types it as the core type). */
export function asZod(schema: unknown): z.ZodType {
	if (schema instanceof z.ZodType) {
		return schema;
	}

	throw new TypeError('the input schema must be built from zod classic types');
}

function customMessage(schema: z.ZodType): string | undefined {
	for (const {message} of checksOf(schema)) {
		if (typeof message === 'string') {
			return message;
		}
	}

	return undefined;
}

function numberRule(schema: z.ZodNumber): string {
	let min: number | undefined;
	let max: number | undefined;
	let above: number | undefined;
	const whole = schema.format === 'safeint' || schema.format === 'int32';
	for (const check of checksOf(schema)) {
		if (typeof check.value !== 'number') {
			continue;
		}

		if (check.check === 'greater_than') {
			if (check.inclusive) {
				min = check.value;
			} else if (whole) {
				min = check.value + 1;
			} else {
				above = check.value;
			}
		} else if (check.check === 'less_than') {
			max = check.inclusive ? check.value : check.value - 1;
		}
	}

	const noun = whole ? 'a whole number' : 'a number';
	if (min !== undefined && max !== undefined) {
		return `must be ${noun} from ${min} to ${max}`;
	}

	if (min !== undefined) {
		return `must be ${noun} of at least ${min}`;
	}

	if (above !== undefined) {
		return `must be ${noun} greater than ${above}`;
	}

	return max === undefined
		? `must be ${noun}`
		: `must be ${noun} of at most ${max}`;
}

const formats: Record<string, string> = {
	email: 'must be an e-mail address like you@example.com',
	url: 'must be a URL like https://example.com',
};

function stringRule(schema: z.ZodType): string {
	const format: unknown = Reflect.get(schema, 'format');
	if (typeof format === 'string' && formats[format]) {
		return formats[format];
	}

	const custom = customMessage(schema);
	if (custom) {
		return custom;
	}

	const {minimum} =
		checksOf(schema).find(check => check.check === 'min_length') ?? {};
	return typeof minimum === 'number' && minimum > 1
		? `must be text of at least ${minimum} characters`
		: 'must be non-empty text';
}

/** Plain words for what a value must be, e.g. `must be a whole number from 1 to 65535`. */
export function describeRule(schema: z.ZodType): string {
	if (schema instanceof z.ZodNumber) {
		return numberRule(schema);
	}

	if (schema instanceof z.ZodEnum) {
		return `must be one of: ${schema.options.map(String).join(', ')}`;
	}

	if (schema instanceof z.ZodBoolean) {
		return 'must be true or false';
	}

	if (schema instanceof z.ZodArray) {
		const item = describeRule(asZod(schema.element));
		return item === formats['email']
			? 'must be a list of e-mail addresses'
			: 'must be a list';
	}

	return stringRule(schema);
}
