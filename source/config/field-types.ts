import {isIP} from 'node:net';
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
	field(secretLine.optional(), {
		env,
		secret: true,
		description,
		alsoFrom,
	});

// A token pasted with its label, or a file holding more than the token, would otherwise only fail
// much later, deep inside an API call (an HTTP header carries printable ASCII only).
export const token = (env: string, description: string, alsoFrom?: string[]) =>
	field(
		z
			.string()
			.min(1)
			.max(4096)
			.regex(
				/^[!-~]+$/v,
				'must be the token alone: printable ASCII, with no spaces or line breaks',
			)
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

// A value with one of these would end the line or the file it is written into.
const controlCharacter = /\p{Cc}/v;

/**
 * The host alone, as ssh takes it: a name, an alias, an IPv4 or an IPv6 address. `user@host:port`
 * is refused with the flags to use: ssh itself would read `host:port` as one host name.
 */
export const hostName = z
	.string()
	.min(1)
	.max(253)
	.regex(
		/^(?:[\w.\-]+|\[?[\da-fA-F:.]+(?:%\w+)?\]?)$/v,
		'must be an address, a host name or an ssh config alias, without user@ or :port (give those with --user and --port)',
	);

/** ASCII only: ssh and PAM compare user names byte for byte, and most tools refuse others. */
export const loginUser = z
	.string()
	.regex(
		/^[A-Za-z_][A-Za-z\d_.\-]{0,31}$/v,
		'must be a Linux user name: up to 32 ASCII letters, digits, _ . and -',
	);

/** POSIX portable user name as Debian's adduser allows it; root would defeat its purpose. */
export const operatorUser = z
	.string()
	.regex(
		/^[a-z_][a-z\d_\-]{0,31}$/v,
		'must be a Linux user name other than root: up to 32 lower case letters, digits, _ and -, starting with a letter or _',
	)
	.refine(name => name !== 'root', {
		message:
			'must not be root: the operator is a separate account that logs in instead of root',
	});

/**
 * An http(s) URL that every destination can carry as it is: no spaces, quotes, backslashes,
 * control characters or shell syntax (`$`, backticks, `;`, parentheses). Those are
 * percent-encoded in a URL anyway (a password's `"` is `%22`).
 */
export const safeUrl = z
	.string()
	.max(2048)
	.regex(
		/^https?:\/\/[\w.~%!&+,=:@/?#[\]-]+$/,
		'must be an http:// or https:// URL without spaces, quotes or shell characters (percent-encode them: " is %22)',
	)
	.refine(url => URL.canParse(url), {
		message: 'must be a URL like https://example.com',
	});

/** Kubernetes object names that are DNS-1123 labels (namespaces, Helm releases). */
export const kubeName = (max = 63) =>
	z
		.string()
		.regex(
			new RegExp(
				String.raw`^(?=.{1,${max}}$)[a-z\d](?:[a-z\d\-]*[a-z\d])?$`,
				'v',
			),
			`must be a Kubernetes name: up to ${max} lower case letters, digits and -, starting and ending with a letter or digit`,
		);

/**
 * A branch name git accepts (git check-ref-format --branch), limited to the characters that need
 * no quoting anywhere the name goes: letters, digits, . _ - /.
 */
export const branchName = z
	.string()
	.max(255)
	.regex(
		/^(?![\-.])(?!.*(?:\.\.|\/\/|\/\.|\.lock\/))(?!.*(?:\.lock|\.|\/)$)[\w.\-\/]+$/v,
		'must be a branch name git accepts, of letters, digits, . _ - and / (not starting with - or ., without .. or //, not ending with /, . or .lock)',
	);

/** GitHub's `owner/name`: an owner of up to 39 letters, digits and -; a name of up to 100. */
export const repoName = z
	.string()
	.regex(
		/^[A-Za-z\d][A-Za-z\d\-]{0,38}\/(?!\.\.?$)[\w.\-]{1,100}$/v,
		'must be owner/name, like acme/codex-k8s',
	);

/** A single line of plain words (names shown to people): no quotes or shell characters. */
export const plainName = (max: number, message: string) =>
	z
		.string()
		.max(max)
		.regex(/^[\w.\-]+(?: [\w.\-]+)*$/v, message);

/** Any text on one line (a path, a password): what a line-based destination can carry. */
const oneLine = (message: string) =>
	z
		.string()
		.min(1)
		.max(4096)
		.refine(text => !controlCharacter.test(text), {message});

export const localPath = oneLine(
	'must be a file path without control characters or line breaks',
);

export const secretLine = oneLine(
	'must be one line, without control characters',
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

/** `8080`, `8080/tcp`, `53/udp`, `6000-6007/tcp`: digits only, so it is inert in an nft rule. */
export const keptPort = z
	.string()
	.regex(
		/^\d{1,5}(-\d{1,5})?(\/(tcp|udp))?$/v,
		'must be a port or range with an optional protocol, like 8080/tcp or 6000-6007/udp',
	)
	.refine(value => {
		const [first = 0, last = first] = value
			.split('/')[0]!
			.split('-')
			.map(Number);
		return first >= 1 && last <= 65_535 && first <= last;
	}, 'must use ports from 1 to 65535, the lower one first');

/** An IP address with an optional port, as c-ares takes a server: `192.0.2.53:53`, `[2001:db8::53]:53`. */
export const resolverAddress = z
	.string()
	.regex(
		/^(\d{1,3}(\.\d{1,3}){3}(:\d{1,5})?|\[[\da-f:]+\](:\d{1,5})?|[\da-f:]+)$/iv,
		'must be an IP address with an optional port, like 192.0.2.53 or [2001:db8::53]:53',
	)
	.refine(value => {
		const bracketed = /^\[([^\]]+)\](?::(\d+))?$/v.exec(value);
		const [address, portText] = bracketed
			? [bracketed[1]!, bracketed[2]]
			: isIP(value) === 6
				? [value, undefined]
				: value.split(':');
		const portNumber = portText === undefined ? 53 : Number(portText);
		return isIP(address ?? '') !== 0 && portNumber >= 1 && portNumber <= 65_535;
	}, 'must be an IP address with an optional port from 1 to 65535');
