import {access} from 'node:fs/promises';
import {join} from 'node:path';
import {resolveTarget} from './target.js';
import {listKeyChoices} from './key-choices.js';

/** Said wherever a missing login key is found: the wizard's key step and the key check. */
export const noKeyFound = {
	problem: 'no SSH key found: ssh-agent holds none and ~/.ssh has no key pair',
	hint: 'Make one with `ssh-keygen -t ed25519` (and put its .pub on the server), or point --identity at the private key you log in with.',
} as const;

const defaultKeyNames = ['id_ed25519', 'id_ecdsa', 'id_rsa'];

const exists = async (path: string) =>
	access(path).then(
		() => true,
		() => false,
	);

/**
 * Whether there is any key to log in with: one in ssh-agent, a key pair or a default key file in
 * ~/.ssh, or an IdentityFile that ~/.ssh/config names for the host.
 */
export async function hasLoginKey(options: {
	home: string;
	agentSocket?: string;
	host?: string;
}): Promise<boolean> {
	const choices = await listKeyChoices(options);
	if (choices.length > 0) {
		return true;
	}

	let configured: string[] = [];
	try {
		configured = options.host
			? resolveTarget({host: options.host}, {home: options.home}).identityFiles
			: [];
	} catch {
		// An unreadable ~/.ssh/config is reported where the connection is made.
	}

	const candidates = [
		...configured,
		...defaultKeyNames.map(name => join(options.home, '.ssh', name)),
	];
	const found = await Promise.all(candidates.map(async path => exists(path)));
	return found.includes(true);
}
