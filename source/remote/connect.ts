import {join} from 'node:path';
import type {Input} from '../config/schema.js';
import {expandHome} from '../config/tree.js';
import {UsageError, UserError} from '../engine/errors.js';
import type {Logger} from '../engine/log.js';
import {type AuthPlan, defaultKeyNames, planAuth} from './auth.js';
import {describeTarget, forwardThrough, handshake, type Timing} from './hop.js';
import {appendKnownHost, fingerprint, lookupHost, readKnownHosts} from './known-hosts.js';
import type {Link} from './link.js';
import {detectPrivilege} from './privilege-check.js';
import {openSocket} from './reachability.js';
import {makeSession} from './session.js';
import {resolveTarget} from './target.js';
import type {Prompter, RemoteSession, Target} from './types.js';

export type ConnectOptions = {
	prompter?: Prompter;
	signal?: AbortSignal;
	log: Logger;
	home: string;
	env: NodeJS.ProcessEnv;
	/** Defaults to `<home>/.ssh/config`. */
	sshConfigPath?: string;
	/** Defaults: TCP 10 s, handshake 20 s, keepalive every 5 s, lost after 3 missed. */
	timing?: Partial<Timing>;
};

const defaultTiming: Timing = {
	connectTimeoutMs: 10_000,
	readyTimeoutMs: 20_000,
	keepaliveIntervalMs: 5000,
	keepaliveCountMax: 3,
};

type Context = {
	options: ConnectOptions;
	timing: Timing;
	knownHostsPath: string;
	expected?: string;
	/** Answers gathered on the way, each asked at most once. */
	secrets: {keyPassphrase?: string};
	links: Link[];
};

async function unlockKeys(context: Context, locked: string[]): Promise<void> {
	const {prompter, log} = context.options;
	if (!prompter) {
		throw new UsageError(
			`the SSH key ${locked.join(', ')} is encrypted and no passphrase was given`,
			[
				'Pass the passphrase in CODEXK8S_SSH_KEY_PASSPHRASE (kept in memory only, never written),',
				'load the key into ssh-agent first (ssh-add), or run interactively to be asked once.',
			].join('\n'),
		);
	}

	const passphrase = await prompter.secret(`Passphrase for ${locked[0]}`);
	log.addSecret(passphrase);
	context.secrets.keyPassphrase = passphrase;
}

function authError(target: Target, plan: AuthPlan, tried: string[], refused?: string[]): UserError {
	const who = `${target.user}@${describeTarget(target)}`;
	if (refused) {
		return new UserError(`${who} accepts no SSH keys (only: ${refused.join(', ')})`, {
			hint: 'codex-k8s-install logs in with SSH keys: add your public key to the user\'s ~/.ssh/authorized_keys on the host.',
			runbookSection: 'Connecting to the host',
		});
	}

	const lines = [
		...tried.map(label => `tried: ${label}`),
		...plan.skipped.map(reason => `not used: ${reason}`),
		`Check that the public key is in ~${target.user}/.ssh/authorized_keys on the host, or pass --identity FILE / --user NAME.`,
	];
	return new UserError(`${who} refused every SSH key offered`, {
		hint: lines.join('\n'),
		runbookSection: 'Connecting to the host',
	});
}

function noKeysError(plan: AuthPlan, context: Context, target: Target): UserError {
	if (plan.skipped.length > 0) {
		return authError(target, plan, []);
	}

	const defaults = defaultKeyNames.map(name => join(context.options.home, '.ssh', name)).join(', ');
	return new UsageError(
		`no SSH key to log in to ${describeTarget(target)} with: no ssh-agent (SSH_AUTH_SOCK) and none of ${defaults}`,
		'Pass --identity FILE (or CODEXK8S_SSH_IDENTITY), start ssh-agent and ssh-add a key, or set IdentityFile in ~/.ssh/config.',
	);
}

async function connectHop(target: Target, via: {link: Link; name: string} | undefined, jumpFor: string | undefined, context: Context): Promise<{link: Link; fingerprint: string}> {
	const {options, timing, knownHostsPath} = context;
	for (let attempt = 0; attempt < 4; attempt++) {
		// eslint-disable-next-line no-await-in-loop -- each attempt depends on the last answer
		const known = lookupHost(await readKnownHosts(knownHostsPath), target.hostname, target.port);
		// eslint-disable-next-line no-await-in-loop
		let plan = await planAuth(target, {env: options.env, home: options.home, passphrase: context.secrets.keyPassphrase});
		if (plan.methods.length === 0 && plan.locked.length > 0 && context.secrets.keyPassphrase === undefined) {
			// eslint-disable-next-line no-await-in-loop
			await unlockKeys(context, plan.locked);
			// eslint-disable-next-line no-await-in-loop
			plan = await planAuth(target, {env: options.env, home: options.home, passphrase: context.secrets.keyPassphrase});
		}

		if (plan.methods.length === 0) {
			throw noKeysError(plan, context, target);
		}

		options.log.info(`SSH: connecting to ${target.user}@${describeTarget(target)}${via ? ` through ${via.name}` : ''}`);
		// eslint-disable-next-line no-await-in-loop
		const sock = via
			? await forwardThrough(via.link, via.name, target, timing.connectTimeoutMs)
			: await openSocket(target.hostname, target.port, timing.connectTimeoutMs, options.signal);
		// eslint-disable-next-line no-await-in-loop
		const outcome = await handshake(
			target,
			sock,
			{
				known,
				knownHostsPath,
				expected: jumpFor === undefined ? context.expected : undefined,
				interactive: options.prompter !== undefined,
				jumpFor,
				defaultKnownHosts: join(options.home, '.ssh', 'known_hosts'),
			},
			plan,
			timing,
			options.signal,
		);
		switch (outcome.kind) {
			case 'ready': {
				if (outcome.decision.kind === 'record') {
					// eslint-disable-next-line no-await-in-loop
					await appendKnownHost(knownHostsPath, target.hostname, target.port, outcome.key);
				}

				const print = fingerprint(outcome.key);
				options.log.info(`SSH: host key ${print} verified; logged in with ${outcome.method ?? 'a key'}`);
				return {link: outcome.link, fingerprint: print};
			}

			case 'host-key': {
				const {decision} = outcome;
				if (decision.kind === 'refuse') {
					throw decision.error;
				}

				if (decision.kind !== 'ask' || !options.prompter) {
					throw new Error(`unexpected host key decision ${decision.kind}`);
				}

				// eslint-disable-next-line no-await-in-loop
				if (!(await options.prompter.confirm(decision.question))) {
					throw new UserError(`the host key of ${describeTarget(target)} was not trusted, so nothing was done`);
				}

				// eslint-disable-next-line no-await-in-loop
				await appendKnownHost(knownHostsPath, target.hostname, target.port, outcome.key);
				break;
			}

			case 'auth-failed': {
				if (plan.locked.length > 0 && context.secrets.keyPassphrase === undefined) {
					// eslint-disable-next-line no-await-in-loop
					await unlockKeys(context, plan.locked);
					break;
				}

				throw authError(target, plan, outcome.tried, outcome.refusedMethods);
			}
		}
	}

	throw new UserError(`could not connect to ${describeTarget(target)} after several attempts`);
}

async function connectChain(target: Target, jumpFor: string | undefined, context: Context): Promise<{link: Link; fingerprint: string}> {
	let via: {link: Link; name: string} | undefined;
	if (target.proxyJump) {
		const hop = await connectChain(target.proxyJump, target.alias, context);
		via = {link: hop.link, name: `${target.proxyJump.alias} (ProxyJump)`};
	}

	const hop = await connectHop(target, via, jumpFor, context);
	context.links.push(hop.link);
	return hop;
}

/**
 * The one SSH connection of a run: target from flags and ~/.ssh/config, host key checked against
 * known_hosts, key authentication, privilege detected. Any answer it needs (passphrase, host key
 * trust, sudo password) comes from the input or, at most once each, from the prompter.
 */
export async function connect(input: {connection: Input['connection']}, options: ConnectOptions): Promise<RemoteSession> {
	const {connection} = input;
	options.log.addSecret(connection.keyPassphrase);
	options.log.addSecret(connection.sudoPassword);
	const target = resolveTarget(connection, {home: options.home, sshConfigPath: options.sshConfigPath});
	const context: Context = {
		options,
		timing: {...defaultTiming, ...options.timing},
		knownHostsPath: expandHome(connection.knownHosts, options.home),
		expected: connection.hostKeyFingerprint,
		secrets: {keyPassphrase: connection.keyPassphrase},
		links: [],
	};
	const closeAll = async () => {
		for (const link of context.links.toReversed()) {
			// eslint-disable-next-line no-await-in-loop -- inner connections first
			await link.close();
		}
	};

	try {
		const {link, fingerprint: print} = await connectChain(target, undefined, context);
		const privilege = await detectPrivilege(link, target, connection.sudoPassword, options);
		options.log.info(`SSH: privilege on the host: ${privilege.privilege}`);
		return makeSession({
			link,
			target,
			hostKeyFingerprint: print,
			privilege: privilege.privilege,
			sudoPassword: privilege.password,
			close: closeAll,
		});
	} catch (error) {
		await closeAll();
		throw error;
	}
}
