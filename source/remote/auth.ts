import {readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {Buffer} from 'node:buffer';
import {inspectPrivateKey} from '../local/key-files.js';
import {sameKey} from './known-hosts.js';
import {
	type Agent,
	type AuthAttempt,
	type ConnectConfig,
	loadSsh,
	type ParsedKey,
	parseKey,
} from './ssh2.js';
import type {Target} from './types.js';

/** One way of proving who we are, ready to offer. */
export type Method = {
	label: string;
	/** The key's public half as an authorized_keys line. */
	publicKey: string;
	make(username: string): AuthAttempt;
};

const publicLine = (key: ParsedKey) =>
	`${key.type} ${Buffer.from(key.getPublicSSH()).toString('base64')} ${key.comment}`.trim();

export type AuthPlan = {
	methods: Method[];
	/** Keys left out, with why (shown when every method fails). */
	skipped: string[];
	/** Encrypted keys that need a passphrase we do not have yet. */
	locked: string[];
};

export const defaultKeyNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

const agentTimeoutMs = 5000;

export async function agentKeys(
	socket: string,
): Promise<{agent: Agent; keys: ParsedKey[]} | string> {
	const {ssh2} = await loadSsh();
	const agent = new ssh2.OpenSSHAgent(socket);
	return new Promise(resolve => {
		const timer = setTimeout(() => {
			resolve(`ssh-agent at ${socket} did not answer`);
		}, agentTimeoutMs);
		agent.getIdentities((error, keys) => {
			clearTimeout(timer);
			resolve(
				!error && keys
					? {agent, keys}
					: `ssh-agent at ${socket} is not reachable (${error?.message ?? 'no answer'})`,
			);
		});
	});
}

/** An agent that offers exactly one of the real agent's keys, so each key is its own attempt. */
async function oneKeyAgent(agent: Agent, key: ParsedKey): Promise<Agent> {
	const {ssh2} = await loadSsh();
	const OneKey = class extends ssh2.BaseAgent {
		override getIdentities(
			callback: (error?: Error, keys?: ParsedKey[]) => void,
		): void {
			callback(undefined, [key]);
		}

		override sign(
			publicKey: ParsedKey,
			data: Uint8Array,
			options: unknown,
			callback: (error?: Error, signature?: Uint8Array) => void,
		): void {
			agent.sign(publicKey, data, options, callback);
		}
	};
	return new OneKey();
}

async function publicBlobOf(file: string): Promise<Uint8Array | undefined> {
	try {
		const parsed = await parseKey(await readFile(`${file}.pub`, 'utf8'));
		return parsed instanceof Error ? undefined : parsed.getPublicSSH();
	} catch {
		return undefined;
	}
}

async function keyFileMethod(
	file: string,
	passphrase: string | undefined,
	plan: AuthPlan,
	explicit: boolean,
): Promise<void> {
	let data: Uint8Array;
	try {
		data = await readFile(file);
	} catch (error) {
		const {code} = error as NodeJS.ErrnoException;
		if (explicit || code !== 'ENOENT') {
			plan.skipped.push(`${file}: cannot be read (${code})`);
		}

		return;
	}

	const info = inspectPrivateKey(Buffer.from(data).toString('latin1'));
	if (info?.encrypted && passphrase === undefined) {
		plan.locked.push(file);
		return;
	}

	const key = await parseKey(data, info?.encrypted ? passphrase : undefined);
	if (key instanceof Error || !key.isPrivateKey()) {
		plan.skipped.push(
			info?.encrypted
				? `${file}: the passphrase does not decrypt it`
				: `${file}: not a private key ssh2 can use${key instanceof Error ? ` (${key.message})` : ''}`,
		);
		return;
	}

	plan.methods.push({
		label: `key file ${file} (${key.type})`,
		publicKey: publicLine(key),
		make: username => ({type: 'publickey', username, key}),
	});
}

/**
 * What to offer, in order: the agent's keys (only those of the listed files with IdentitiesOnly),
 * then the listed key files, or the default ~/.ssh keys when nothing is listed.
 */
export async function planAuth(
	target: Target,
	options: {env: NodeJS.ProcessEnv; home: string; passphrase?: string},
): Promise<AuthPlan> {
	const plan: AuthPlan = {methods: [], skipped: [], locked: []};
	const explicit = target.identityFiles.length > 0;
	const files = explicit
		? target.identityFiles
		: defaultKeyNames.map(name => join(options.home, '.ssh', name));
	const socket = options.env['SSH_AUTH_SOCK'];
	if (socket) {
		const found = await agentKeys(socket);
		if (typeof found === 'string') {
			plan.skipped.push(found);
		} else {
			let {keys} = found;
			if (target.identitiesOnly && explicit) {
				const wanted = await Promise.all(
					files.map(async file => publicBlobOf(file)),
				);
				keys = keys.filter(key =>
					wanted.some(
						blob => blob !== undefined && sameKey(blob, key.getPublicSSH()),
					),
				);
			}

			for (const key of keys) {
				// eslint-disable-next-line no-await-in-loop -- a handful of keys, in order
				const agent = await oneKeyAgent(found.agent, key);
				plan.methods.push({
					label: `ssh-agent key ${key.comment || key.type} (${key.type})`,
					publicKey: publicLine(key),
					make: username => ({type: 'agent', username, agent}),
				});
			}

			if (found.keys.length === 0) {
				plan.skipped.push('ssh-agent: holds no keys');
			}
		}
	}

	for (const file of files) {
		// eslint-disable-next-line no-await-in-loop -- order matters, and files are few
		await keyFileMethod(file, options.passphrase, plan, explicit);
	}

	return plan;
}

/** Ssh2's authHandler over the plan; `offered` records what was offered, in order. */
export function authHandler(
	plan: AuthPlan,
	username: string,
	offered: Method[],
	refusedMethods: {value?: string[]},
): ConnectConfig['authHandler'] {
	let next = 0;
	return (methodsLeft, _partial, callback) => {
		if (methodsLeft && !methodsLeft.includes('publickey')) {
			refusedMethods.value = methodsLeft;
			callback(false);
			return;
		}

		const method = plan.methods[next++];
		if (!method) {
			callback(false);
			return;
		}

		offered.push(method);
		callback(method.make(username));
	};
}
