import {join} from 'node:path';
import type {Input} from '../config/schema.js';
import {expandHome} from '../config/tree.js';
import {UserError} from '../errors.js';
import type {Logger} from '../log.js';
import {noKeysError} from './auth-errors.js';
import {describeTarget, resolveTarget} from './target.js';
import {forwardThrough, handshake, type Timing} from './hop.js';
import {
	type Connected,
	type Context,
	type Hop,
	planFor,
	settle,
} from './hop-outcome.js';
import {lookupHost, readKnownHosts} from './known-hosts.js';
import {detectPrivilege} from './privilege.js';
import {openSocket} from './reachability.js';
import {makeSession} from './session.js';
import type {Prompter, RemoteSession, Target} from './types.js';

export type ConnectOptions = {
	prompter?: Prompter;
	signal?: AbortSignal;
	log: Logger;
	home: string;
	env: NodeJS.ProcessEnv;
	/** Defaults to `<home>/.ssh/config`. */
	sshConfigPath?: string;
	/** Where runScript reads scripts; defaults to the package's assets/scripts/ (tests use their own). */
	scriptsDirectory?: string;
	/** Defaults: TCP 10 s, handshake 20 s, keepalive every 5 s, lost after 3 missed. */
	timing?: Partial<Timing>;
};

const defaultTiming: Timing = {
	connectTimeoutMs: 10_000,
	readyTimeoutMs: 20_000,
	keepaliveIntervalMs: 5000,
	keepaliveCountMax: 3,
};

async function connectHop(
	hop: Hop,
	context: Context,
	attemptsLeft = 3,
): Promise<Connected> {
	const {options, timing, knownHostsPath} = context;
	const {target, via} = hop;
	const entries = await readKnownHosts(knownHostsPath);
	const plan = await planFor(target, context);
	if (plan.methods.length === 0) {
		throw noKeysError(target, plan, options.home);
	}

	options.log.info(
		`SSH: connecting to ${target.user}@${describeTarget(target)}${via ? ` through ${via.name}` : ''}`,
	);
	const sock = via
		? await forwardThrough(via.link, via.name, target, timing.connectTimeoutMs)
		: await openSocket(
				target.hostname,
				target.port,
				timing.connectTimeoutMs,
				options.signal,
			);
	const outcome = await handshake({
		target,
		sock,
		facts: {
			known: lookupHost(entries, target.hostname, target.port),
			knownHostsPath,
			expected: hop.jumpFor === undefined ? context.expected : undefined,
			interactive: options.prompter !== undefined,
			jumpFor: hop.jumpFor,
			defaultKnownHosts: join(options.home, '.ssh', 'known_hosts'),
		},
		plan,
		timing,
		signal: options.signal,
	});
	const result = await settle(outcome, hop, plan, context);
	if (result !== 'again') {
		return result;
	}

	if (attemptsLeft === 0) {
		throw new UserError(
			`could not connect to ${describeTarget(target)} after several attempts`,
		);
	}

	return connectHop(hop, context, attemptsLeft - 1);
}

async function connectChain(
	target: Target,
	jumpFor: string | undefined,
	context: Context,
): Promise<Connected> {
	let via: Hop['via'];
	if (target.proxyJump) {
		const jump = await connectChain(target.proxyJump, target.alias, context);
		via = {link: jump.link, name: `${target.proxyJump.alias} (ProxyJump)`};
	}

	const connected = await connectHop({target, via, jumpFor}, context);
	context.links.push(connected.link);
	return connected;
}

/**
 * The one SSH connection of a run: target from flags and ~/.ssh/config, host key checked against
 * known_hosts, key authentication, privilege detected. Any answer it needs (passphrase, host key
 * trust, sudo password) comes from the input or, at most once each, from the prompter.
 */
export async function connect(
	input: {connection: Input['connection']},
	options: ConnectOptions,
): Promise<RemoteSession> {
	const {connection} = input;
	options.log.addSecret(connection.keyPassphrase);
	options.log.addSecret(connection.sudoPassword);
	const target = resolveTarget(connection, {
		home: options.home,
		sshConfigPath: options.sshConfigPath,
	});
	const context: Context = {
		options,
		timing: {...defaultTiming, ...options.timing},
		knownHostsPath: expandHome(connection.knownHosts, options.home),
		expected: connection.hostKeyFingerprint,
		secrets: {keyPassphrase: connection.keyPassphrase},
		links: [],
	};
	const closeAll = async (): Promise<void> => {
		// The last connection first: each jump host carries the ones after it.
		const link = context.links.pop();
		if (link) {
			await link.close();
			await closeAll();
		}
	};

	try {
		const {
			link,
			fingerprint: print,
			publicKey,
		} = await connectChain(target, undefined, context);
		const privilege = await detectPrivilege(
			link,
			target,
			connection.sudoPassword,
			options,
		);
		options.log.info(`SSH: privilege on the host: ${privilege.privilege}`);
		return makeSession({
			link,
			target,
			hostKeyFingerprint: print,
			loginPublicKey: publicKey,
			privilege: privilege.privilege,
			sudoPassword: privilege.password,
			scriptsDirectory: options.scriptsDirectory,
			close: closeAll,
		});
	} catch (error) {
		await closeAll();
		throw error;
	}
}
