import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {readdir, readFile} from 'node:fs/promises';
import {join} from 'node:path';
import {inspectPrivateKey} from '../local/key-files.js';

/** A key the operator can pick in the wizard: from ssh-agent, or a key pair in ~/.ssh. */
export type KeyChoice = {
	source: 'agent' | 'file';
	/** The private key file (source `file`). */
	path?: string;
	type: string;
	/** `SHA256:…`, as `ssh-keygen -l` prints it. */
	fingerprint: string;
	comment: string;
	/** A passphrase will be asked (once). */
	encrypted: boolean;
};

export const fingerprintOf = (blob: Uint8Array) =>
	`SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;

/** `type base64 comment` → the parts, or undefined for anything else. */
function parsePublicLine(
	line: string,
): {type: string; blob: Uint8Array; comment: string} | undefined {
	const [type, base64, ...comment] = line.trim().split(/\s+/);
	if (!type || !base64 || !/^[A-Za-z\d+/]+=*$/.test(base64)) {
		return undefined;
	}

	return {
		type,
		blob: Buffer.from(base64, 'base64'),
		comment: comment.join(' '),
	};
}

/** Key pairs in `directory`: a private key file whose `.pub` lies beside it. */
async function fileChoices(directory: string): Promise<KeyChoice[]> {
	let names: string[];
	try {
		names = await readdir(directory);
	} catch {
		return [];
	}

	const choices = await Promise.all(
		names
			.filter(name => name.endsWith('.pub'))
			.toSorted()
			.map(async (name): Promise<KeyChoice | undefined> => {
				const path = join(directory, name.slice(0, -'.pub'.length));
				try {
					const [publicText, privateText] = await Promise.all([
						readFile(join(directory, name), 'utf8'),
						readFile(path, 'utf8'),
					]);
					const info = inspectPrivateKey(privateText);
					const parsed = parsePublicLine(publicText);
					return info && parsed
						? {
								source: 'file',
								path,
								type: parsed.type,
								fingerprint: fingerprintOf(parsed.blob),
								comment: parsed.comment,
								encrypted: info.encrypted,
							}
						: undefined;
				} catch {
					return undefined;
				}
			}),
	);
	return choices.filter(choice => choice !== undefined);
}

/** The agent's keys, in its order; none when there is no agent or it does not answer. */
async function agentChoices(socket: string | undefined): Promise<KeyChoice[]> {
	if (!socket) {
		return [];
	}

	const {agentKeys} = await import('./auth.js');
	const found = await agentKeys(socket);
	if (typeof found === 'string') {
		return [];
	}

	return found.keys.map(key => ({
		source: 'agent',
		type: key.type,
		fingerprint: fingerprintOf(key.getPublicSSH()),
		comment: key.comment,
		encrypted: false,
	}));
}

/**
 * What the wizard offers for logging in: the agent's keys first (no passphrase needed), then the
 * key pairs in ~/.ssh that the agent does not already hold.
 */
export async function listKeyChoices(options: {
	home: string;
	agentSocket?: string;
}): Promise<KeyChoice[]> {
	const [agent, files] = await Promise.all([
		agentChoices(options.agentSocket),
		fileChoices(join(options.home, '.ssh')),
	]);
	const held = new Set(agent.map(choice => choice.fingerprint));
	return [...agent, ...files.filter(choice => !held.has(choice.fingerprint))];
}
