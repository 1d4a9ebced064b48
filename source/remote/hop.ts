import type {Duplex} from 'node:stream';
import {InterruptedError, UserError} from '../errors.js';
import {formatSeconds} from './exec.js';
import {describeTarget} from './target.js';
import {type AuthPlan, authHandler, type Method} from './auth.js';
import {
	decideHostKey,
	type HostKeyDecision,
	type HostKeyFacts,
	hostKeyAlgorithms,
} from './host-key.js';
import {watchLink, type Link} from './link.js';
import {unreachable} from './reachability.js';
import {type Client, loadSsh} from './ssh2.js';
import type {Target} from './types.js';

export type Timing = {
	connectTimeoutMs: number;
	readyTimeoutMs: number;
	keepaliveIntervalMs: number;
	keepaliveCountMax: number;
};

export type HandshakeOutcome =
	| {
			kind: 'ready';
			link: Link;
			key: Uint8Array;
			decision: HostKeyDecision;
			method?: string;
			/** The public half of the key that logged in. */
			publicKey?: string;
	  }
	| {kind: 'host-key'; key: Uint8Array; decision: HostKeyDecision}
	| {kind: 'auth-failed'; tried: string[]; refusedMethods?: string[]};

/** A channel to target through an established connection: ProxyJump. */
export async function forwardThrough(
	via: Link,
	viaName: string,
	target: Target,
	timeoutMs: number,
): Promise<Duplex> {
	via.assertAlive();
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			reject(
				unreachable(target.hostname, target.port, 'ETIMEDOUT', {
					timeoutMs,
					via: viaName,
				}),
			);
		}, timeoutMs);
		via.client.forwardOut(
			'127.0.0.1',
			0,
			target.hostname,
			target.port,
			(error, stream) => {
				clearTimeout(timer);
				if (!error) {
					resolve(stream);
					return;
				}

				const text = error.message;
				const code = /refused/i.test(text)
					? 'ECONNREFUSED'
					: /name|resolv|getaddrinfo/i.test(text)
						? 'ENOTFOUND'
						: /unreachable/i.test(text)
							? 'EHOSTUNREACH'
							: /timed out/i.test(text)
								? 'ETIMEDOUT'
								: undefined;
				reject(
					via.lostError() ??
						unreachable(target.hostname, target.port, code, {
							timeoutMs,
							via: viaName,
						}),
				);
			},
		);
	});
}

/**
 * One SSH handshake over `sock`: the host key is judged before any authentication (a refused or
 * unknown key ends the handshake there), then the plan's methods are offered in order.
 */
export async function handshake({
	target,
	sock,
	facts,
	plan,
	timing,
	signal,
}: {
	target: Target;
	sock: Duplex;
	facts: Omit<HostKeyFacts, 'host' | 'port' | 'key'> & {
		defaultKnownHosts?: string;
	};
	plan: AuthPlan;
	timing: Timing;
	signal?: AbortSignal;
}): Promise<HandshakeOutcome> {
	const {nodeSsh} = await loadSsh();
	const ssh = new nodeSsh.NodeSSH();
	let seen: {key: Uint8Array; decision: HostKeyDecision} | undefined;
	const offered: Method[] = [];
	const refused: {value?: string[]} = {};
	const onAbort = () => {
		sock.destroy();
	};

	signal?.addEventListener('abort', onAbort, {once: true});
	try {
		await ssh.connect({
			sock,
			username: target.user,
			readyTimeout: timing.readyTimeoutMs,
			keepaliveInterval: timing.keepaliveIntervalMs,
			keepaliveCountMax: timing.keepaliveCountMax,
			algorithms: {serverHostKey: hostKeyAlgorithms(facts.known)},
			hostVerifier(key) {
				const decision = decideHostKey(
					{host: target.hostname, port: target.port, key, ...facts},
					facts.defaultKnownHosts,
				);
				seen = {key, decision};
				return decision.kind === 'trusted' || decision.kind === 'record';
			},
			authHandler: authHandler(plan, target.user, offered, refused),
		});
	} catch (error) {
		sock.destroy();
		if (signal?.aborted) {
			throw new InterruptedError();
		}

		if (
			seen &&
			seen.decision.kind !== 'trusted' &&
			seen.decision.kind !== 'record'
		) {
			return {kind: 'host-key', ...seen};
		}

		const {level, message} = error as Error & {level?: string};
		if (level === 'client-authentication') {
			return {
				kind: 'auth-failed',
				tried: offered.map(method => method.label),
				refusedMethods: refused.value,
			};
		}

		throw new UserError(
			level === 'client-timeout'
				? `${describeTarget(target)} accepted the connection but no SSH handshake completed within ${formatSeconds(timing.readyTimeoutMs)}`
				: `the SSH handshake with ${describeTarget(target)} failed: ${message}`,
			{
				hint: 'Is an SSH server (sshd) really listening on that port? Try `ssh -v` with the same host and port.',
				runbookSection: 'Connecting to the host',
				cause: error,
			},
		);
	} finally {
		signal?.removeEventListener('abort', onAbort);
	}

	const client = ssh.connection as Client;
	const link = watchLink(client, describeTarget(target), () => {
		ssh.dispose();
	});
	return {
		kind: 'ready',
		link,
		key: seen!.key,
		decision: seen!.decision,
		method: offered.at(-1)?.label,
		publicKey: offered.at(-1)?.publicKey,
	};
}
