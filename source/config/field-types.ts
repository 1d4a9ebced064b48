import {z} from 'zod';

/**
 * How an input can be given besides the config file. `secret` inputs never have a
 * plain flag: they come from the environment, a file, stdin or the wizard, and are never persisted.
 */
export type FieldMeta = {
	env: string;
	flag?: string;
	secret?: boolean;
	/** The value is a local file path: relative paths in a config file are taken from its folder. */
	isPath?: boolean;
	/** Further ways to give it, for messages and docs (e.g. `--token-file FILE`). */
	alsoFrom?: readonly string[];
	description: string;
};

/** The metadata of each leaf, typed (zod's own `.meta()` store is untyped). */
export const fieldMeta = new WeakMap<z.ZodType, FieldMeta>();

export function field<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
	const described = schema.meta(meta);
	fieldMeta.set(described, meta);
	return described;
}

export const secret = (env: string, description: string, alsoFrom?: string[]) =>
	field(z.string().min(1).optional(), {
		env,
		secret: true,
		description,
		alsoFrom,
	});

// A token pasted with its label, or a file holding more than the token, would otherwise only fail
// much later, deep inside an API call.
export const token = (env: string, description: string, alsoFrom?: string[]) =>
	field(
		z
			.string()
			.min(1)
			.regex(/^\S+$/v, 'must be the token alone, with no spaces or line breaks')
			.optional(),
		{env, secret: true, description, alsoFrom},
	);

export function isJsonObject(text: string): boolean {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null && !Array.isArray(value);
	} catch {
		return false;
	}
}

export const hostName = z
	.string()
	.min(1)
	.regex(
		/^[\w.:@\[\]\-]+$/v,
		'must be an address, a host name or an ssh config alias',
	);

export const port = z.coerce.number().int().min(1).max(65_535);
export const email = z.email();
export const seconds = z.coerce.number().int().positive();
export const fingerprint = z
	.string()
	.regex(
		/^SHA256:[\w+\/]{43}=?$/v,
		'must be a SHA256:… fingerprint as printed by `ssh-keygen -lf`',
	);

export const domainName = z
	.string()
	.regex(
		/^(?=.{1,253}$)([a-z\d]([a-z\d\-]{0,61}[a-z\d])?\.)+[a-z]{2,63}$/iv,
		'must be a fully qualified domain name like staging.example.com',
	);
