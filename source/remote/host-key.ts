import {UsageError, UserError} from '../errors.js';
import {
	fingerprint,
	hostEntryName,
	type HostKeys,
	keyTypeOf,
	sameKey,
} from './known-hosts.js';

export type HostKeyFacts = {
	host: string;
	port: number;
	/** The raw key the server presented. */
	key: Uint8Array;
	/** What known_hosts says about this host and port. */
	known: HostKeys;
	knownHostsPath: string;
	/** --host-key-fingerprint / CODEXK8S_HOST_KEY_FINGERPRINT. */
	expected?: string;
	/** Whether someone can be asked (a Prompter is there). */
	interactive: boolean;
	/** Set for a ProxyJump hop, which --host-key-fingerprint does not cover. */
	jumpFor?: string;
};

export type HostKeyDecision =
	| {kind: 'trusted'}
	/** Unknown host whose key matches the fingerprint given in advance: trust and record it. */
	| {kind: 'record'}
	/** Unknown host, someone to ask: show the fingerprint and ask. */
	| {kind: 'ask'; question: string}
	| {kind: 'refuse'; error: UserError};

const normalize = (value: string) => value.trim().replace(/=+$/, '');

/** The exact command that forgets the old key, as OpenSSH itself suggests it. */
export function removeCommand(
	host: string,
	port: number,
	knownHostsPath: string,
	defaultPath?: string,
): string {
	const name = hostEntryName(host, port);
	const quoted = port === 22 ? name : `'${name}'`;
	const file = knownHostsPath === defaultPath ? '' : ` -f '${knownHostsPath}'`;
	return `ssh-keygen -R ${quoted}${file}`;
}

/**
 * The host key policy: a known and matching key passes, a changed or revoked key stops before
 * authenticating, an unknown key is trusted only with the fingerprint given in advance or
 * confirmed by the operator. Checking is never off.
 */
export function decideHostKey(
	facts: HostKeyFacts,
	defaultKnownHostsPath?: string,
): HostKeyDecision {
	const presented = fingerprint(facts.key);
	const type = keyTypeOf(facts.key);
	const where = hostEntryName(facts.host, facts.port);
	const isPresented = (entry: {key: Uint8Array}) =>
		sameKey(entry.key, facts.key);

	if (facts.known.revoked.some(entry => isPresented(entry))) {
		return {
			kind: 'refuse',
			error: new UserError(
				`the host key of ${where} (${presented}) is marked @revoked in ${facts.knownHostsPath}`,
				{
					hint: 'Someone revoked this key on purpose: do not connect until the server has a new key you have checked.',
				},
			),
		};
	}

	if (facts.expected !== undefined && normalize(facts.expected) !== presented) {
		return {
			kind: 'refuse',
			error: new UserError(
				`the host key of ${where} is ${presented}, not the expected ${normalize(facts.expected)}`,
				{
					hint: 'Check --host-key-fingerprint (CODEXK8S_HOST_KEY_FINGERPRINT) against the server: ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
				},
			),
		};
	}

	if (facts.known.known.some(entry => isPresented(entry))) {
		return {kind: 'trusted'};
	}

	if (facts.known.known.length > 0) {
		const old = facts.known.known.map(
			entry =>
				`${fingerprint(entry.key)} (${entry.keyType}, ${facts.knownHostsPath} line ${entry.line})`,
		);
		return {
			kind: 'refuse',
			error: new UserError(
				`the host key of ${where} has CHANGED: it presented ${presented} (${type}), but known_hosts has ${old.join(', ')}`,
				{
					hint: [
						'This can mean someone is intercepting the connection, or the server was reinstalled.',
						'Check the new fingerprint on the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub);',
						`if it is right, forget the old key and run again: ${removeCommand(facts.host, facts.port, facts.knownHostsPath, defaultKnownHostsPath)}`,
					].join('\n'),
				},
			),
		};
	}

	if (facts.expected !== undefined) {
		return {kind: 'record'};
	}

	if (facts.interactive) {
		return {
			kind: 'ask',
			question: `The authenticity of ${where} can't be established. Its ${type} key fingerprint is ${presented}. Trust it and add it to ${facts.knownHostsPath}?`,
		};
	}

	if (facts.jumpFor !== undefined) {
		return {
			kind: 'refuse',
			error: new UsageError(
				`the jump host ${where} (ProxyJump for ${facts.jumpFor}) is not in ${facts.knownHostsPath}; its host key fingerprint is ${presented} (${type})`,
				'Connect to it once with ssh to check and trust its key, or run interactively to be asked.',
			),
		};
	}

	return {
		kind: 'refuse',
		error: new UsageError(
			`${where} is not in ${facts.knownHostsPath}; its host key fingerprint is ${presented} (${type})`,
			[
				'Confirm it on the server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub, or your provider console) and pass it with',
				`--host-key-fingerprint ${presented} (or CODEXK8S_HOST_KEY_FINGERPRINT), or run interactively to be asked.`,
			].join('\n'),
		),
	};
}

const rsaAlgorithms = ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
const defaultAlgorithms = [
	'ssh-ed25519',
	'ecdsa-sha2-nistp256',
	'ecdsa-sha2-nistp384',
	'ecdsa-sha2-nistp521',
	...rsaAlgorithms,
];

/**
 * Host key algorithms to offer, those already known for the host first: otherwise a server with
 * several host keys may present one we have no entry for, and a good host would look changed.
 */
export function hostKeyAlgorithms(known: HostKeys): string[] {
	const preferred = known.known.flatMap(entry =>
		entry.keyType === 'ssh-rsa' ? rsaAlgorithms : [entry.keyType],
	);
	return [
		...new Set([
			...preferred.filter(name => defaultAlgorithms.includes(name)),
			...defaultAlgorithms,
		]),
	];
}
