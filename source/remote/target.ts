import {readFileSync} from 'node:fs';
import {hostname as localHostname, userInfo} from 'node:os';
import {join} from 'node:path';
import SSHConfig from 'ssh-config';
import type {Input} from '../config/schema.js';
import {expandHome} from '../config/tree.js';
import {UsageError} from '../errors.js';
import type {Target} from './types.js';

/** How messages name a target: its address and port. */
export const describeTarget = (target: Target) =>
	`${target.hostname} port ${target.port}`;

type Connection = Pick<
	Input['connection'],
	'host' | 'port' | 'user' | 'identity'
>;

export type ResolveOptions = {
	home: string;
	/** Defaults to `<home>/.ssh/config`; a missing file means no config. */
	sshConfigPath?: string;
	/** The local user name, for `%u` (and the default user of jump hosts, as ssh does). */
	localUser?: string;
};

type Computed = Record<string, string | string[]>;

const maxHops = 8;

function readConfig(path: string): SSHConfig | undefined {
	let text: string;
	try {
		text = readFileSync(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return undefined;
		}

		throw new UsageError(
			`cannot read the SSH config ${path}: ${(error as Error).message}`,
		);
	}

	try {
		return SSHConfig.parse(text);
	} catch (error) {
		throw new UsageError(
			`cannot parse the SSH config ${path}: ${(error as Error).message}`,
			'Fix the file, or run `ssh -G HOST` to see what ssh makes of it.',
		);
	}
}

function first(value: string | string[] | undefined): string | undefined {
	return Array.isArray(value) ? value[0] : value;
}

function all(value: string | string[] | undefined): string[] {
	return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function parsePort(value: string, where: string): number {
	const port = Number(value);
	if (!Number.isInteger(port) || port < 1 || port > 65_535) {
		throw new UsageError(`${where}: "${value}" is not a TCP port`);
	}

	return port;
}

/** `%h`, `%p`, `%r`, `%u`, `%d`, `%n`, `%l`, `%i` and `%%`, as ssh_config(5) expands them. */
export function expandTokens(
	text: string,
	values: Record<'h' | 'p' | 'r' | 'u' | 'd' | 'n' | 'l' | 'i', string>,
): string {
	return text.replaceAll(/%(.)/g, (match, token: string) => {
		if (token === '%') {
			return '%';
		}

		const value = values[token as keyof typeof values];
		if (value === undefined) {
			throw new UsageError(
				`the SSH config uses ${match} in "${text}", which codex-k8s-install does not expand`,
				'Write the path out in ~/.ssh/config or pass --identity FILE.',
			);
		}

		return value;
	});
}

/** One element of a ProxyJump list: `[ssh://][user@]host[:port]`, host possibly `[v6]`. */
export function parseJump(spec: string): {
	user?: string;
	host: string;
	port?: number;
} {
	const text = spec.replace(/^ssh:\/\//, '');
	const at = text.lastIndexOf('@');
	const user = at === -1 ? undefined : text.slice(0, at);
	const rest = at === -1 ? text : text.slice(at + 1);
	const match =
		/^\[(?<v6>[^\]]+)](?::(?<p6>\d+))?$|^(?<h>[^:]+)(?::(?<p>\d+))?$/.exec(
			rest,
		);
	const host = match?.groups?.['v6'] ?? match?.groups?.['h'];
	if (!host) {
		throw new UsageError(`ProxyJump "${spec}" is not [user@]host[:port]`);
	}

	const port = match?.groups?.['p6'] ?? match?.groups?.['p'];
	return {
		user: user === '' ? undefined : user,
		host,
		port: port === undefined ? undefined : parsePort(port, `ProxyJump ${spec}`),
	};
}

type Request = {
	alias: string;
	port?: number;
	user?: string;
	identity?: string;
	defaultUser: string;
	/** A jump list given for this host by an outer ProxyJump chain (overrides its own config). */
	via?: string[];
};

function resolveOne(
	config: SSHConfig | undefined,
	request: Request,
	options: Required<ResolveOptions>,
	depth: number,
): Target {
	if (depth > maxHops) {
		throw new UsageError(
			`ProxyJump for ${request.alias} nests more than ${maxHops} hops: is there a loop in ~/.ssh/config?`,
		);
	}

	const computed: Computed =
		config?.compute(
			request.user === undefined
				? {Host: request.alias}
				: {Host: request.alias, User: request.user},
			{ignoreCase: true, matchExec: false},
		) ?? {};
	const configPort = first(computed['port']);
	const port =
		request.port ??
		(configPort === undefined
			? 22
			: parsePort(configPort, `Port in ${options.sshConfigPath}`));
	const user = request.user ?? first(computed['user']) ?? request.defaultUser;
	const tokens = {
		h: request.alias,
		p: String(port),
		r: user,
		u: options.localUser,
		d: options.home,
		n: request.alias,
		l: localHostname(),
		i: String(process.getuid?.() ?? ''),
	};
	const hostname = expandTokens(
		first(computed['hostname']) ?? request.alias,
		tokens,
	);
	tokens.h = hostname;
	const files = [
		...(request.identity === undefined ? [] : [request.identity]),
		...all(computed['identityfile']),
	]
		.filter(file => file.toLowerCase() !== 'none')
		.map(file => expandHome(expandTokens(file, tokens), options.home));
	const target: Target = {
		alias: request.alias,
		hostname,
		port,
		user,
		identityFiles: [...new Set(files)],
		identitiesOnly: first(computed['identitiesonly'])?.toLowerCase() === 'yes',
	};
	const jumps =
		request.via ??
		(first(computed['proxyjump']) ?? 'none')
			.split(',')
			.map(jump => jump.trim())
			.filter(jump => jump && jump.toLowerCase() !== 'none');
	const last = jumps.at(-1);
	if (last !== undefined) {
		const hop = parseJump(last);
		target.proxyJump = resolveOne(
			config,
			{
				alias: hop.host,
				port: hop.port,
				user: hop.user,
				identity: request.identity,
				defaultUser: options.localUser,
				via: jumps.length > 1 ? jumps.slice(0, -1) : undefined,
			},
			options,
			depth + 1,
		);
	}

	return target;
}

/**
 * Where to connect: the operator's --host/--port/--user/--identity over ~/.ssh/config (Host
 * patterns, HostName, Port, User, IdentityFile, IdentitiesOnly, ProxyJump), over the defaults
 * (port 22, user root).
 */
export function resolveTarget(
	connection: Connection,
	options: ResolveOptions,
): Target {
	if (!connection.host) {
		throw new UsageError(
			'no target host given',
			'Pass --host ADDRESS (or set CODEXK8S_HOST); an alias from ~/.ssh/config works too.',
		);
	}

	const full: Required<ResolveOptions> = {
		home: options.home,
		sshConfigPath:
			options.sshConfigPath ?? join(options.home, '.ssh', 'config'),
		localUser: options.localUser ?? userInfo().username,
	};
	return resolveOne(
		readConfig(full.sshConfigPath),
		{
			alias: connection.host,
			port: connection.port,
			user: connection.user,
			identity:
				connection.identity === undefined
					? undefined
					: expandHome(connection.identity, options.home),
			defaultUser: 'root',
		},
		full,
		0,
	);
}
