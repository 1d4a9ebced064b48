import {Buffer} from 'node:buffer';
import {createHash, createHmac, timingSafeEqual} from 'node:crypto';
import {appendFile, mkdir, readFile} from 'node:fs/promises';
import {dirname} from 'node:path';

export type KnownHostEntry = {
	marker?: 'revoked' | 'cert-authority';
	/** Host patterns as written: a comma list, or one `|1|salt|hash`. */
	hosts: string;
	keyType: string;
	key: Uint8Array;
	line: number;
};

/** `SHA256:…` exactly as `ssh-keygen -l` and OpenSSH's prompts print it. */
export function fingerprint(key: Uint8Array): string {
	const digest = createHash('sha256').update(key).digest('base64');
	return `SHA256:${digest.replace(/=+$/, '')}`;
}

/** The key type a raw public key blob names in its first field (`ssh-ed25519`, …). */
export function keyTypeOf(key: Uint8Array): string {
	if (key.length < 4) {
		return 'unknown';
	}

	const length = new DataView(key.buffer, key.byteOffset, 4).getUint32(0);
	return length > 0 && length < 64 && key.length >= 4 + length
		? Buffer.from(key.subarray(4, 4 + length)).toString('latin1')
		: 'unknown';
}

export function sameKey(a: Uint8Array, b: Uint8Array): boolean {
	return Buffer.compare(a, b) === 0;
}

/** The name known_hosts stores: `host` on port 22, `[host]:port` otherwise. */
export function hostEntryName(host: string, port: number): string {
	const name = host.toLowerCase();
	return port === 22 ? name : `[${name}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
	const entries: KnownHostEntry[] = [];
	for (const [index, raw] of text.split('\n').entries()) {
		const line = raw.trim();
		if (!line || line.startsWith('#')) {
			continue;
		}

		const fields = line.split(/\s+/);
		let marker: KnownHostEntry['marker'];
		if (fields[0]?.startsWith('@')) {
			const name = fields.shift()!.slice(1);
			if (name !== 'revoked' && name !== 'cert-authority') {
				continue;
			}

			marker = name;
		}

		const [hosts, keyType, base64] = fields;
		if (!hosts || !keyType || !base64 || !/^[A-Za-z\d+/]+=*$/.test(base64)) {
			continue;
		}

		entries.push({
			marker,
			hosts,
			keyType,
			key: Buffer.from(base64, 'base64'),
			line: index + 1,
		});
	}

	return entries;
}

function globToRegExp(pattern: string): RegExp {
	const escaped = pattern
		.toLowerCase()
		.replaceAll(/[.+^${}()|[\]\\]/g, String.raw`\$&`)
		.replaceAll('*', '.*')
		.replaceAll('?', '.');
	return new RegExp(`^${escaped}$`);
}

function matchesHashed(hosts: string, name: string): boolean {
	const [, magic, salt, hash] = hosts.split('|');
	if (magic !== '1' || !salt || !hash) {
		return false;
	}

	const expected = Buffer.from(hash, 'base64');
	const actual = createHmac('sha1', Buffer.from(salt, 'base64'))
		.update(name)
		.digest();
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** Whether an entry's host field covers `name` (as built by `hostEntryName`). */
export function hostsMatch(hosts: string, name: string): boolean {
	if (hosts.startsWith('|')) {
		return matchesHashed(hosts, name);
	}

	let matched = false;
	for (const pattern of hosts.split(',')) {
		const negated = pattern.startsWith('!');
		if (
			globToRegExp(negated ? pattern.slice(1) : pattern).test(
				name.toLowerCase(),
			)
		) {
			if (negated) {
				return false;
			}

			matched = true;
		}
	}

	return matched;
}

export type HostKeys = {
	/** Plain entries for this host and port (cert-authority lines are ignored). */
	known: KnownHostEntry[];
	/** `@revoked` entries that apply to this host. */
	revoked: KnownHostEntry[];
};

export function lookupHost(
	entries: KnownHostEntry[],
	host: string,
	port: number,
): HostKeys {
	const name = hostEntryName(host, port);
	const applying = entries.filter(entry => hostsMatch(entry.hosts, name));
	return {
		known: applying.filter(entry => entry.marker === undefined),
		revoked: applying.filter(entry => entry.marker === 'revoked'),
	};
}

/** The file's entries; a missing file has none. */
export async function readKnownHosts(path: string): Promise<KnownHostEntry[]> {
	try {
		return parseKnownHosts(await readFile(path, 'utf8'));
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
			return [];
		}

		throw error;
	}
}

/** Appends `host key` in plain form, creating the file (0600) and its folder (0700) if needed. */
export async function appendKnownHost(
	path: string,
	host: string,
	port: number,
	key: Uint8Array,
): Promise<void> {
	await mkdir(dirname(path), {recursive: true, mode: 0o700});
	let existing = '';
	try {
		existing = await readFile(path, 'utf8');
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw error;
		}
	}

	const separator = existing && !existing.endsWith('\n') ? '\n' : '';
	const line = `${hostEntryName(host, port)} ${keyTypeOf(key)} ${Buffer.from(key).toString('base64')}\n`;
	await appendFile(path, separator + line, {mode: 0o600});
}
