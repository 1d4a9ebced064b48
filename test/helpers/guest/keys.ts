import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {mkdtempSync, readFileSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {runOk} from './process.js';

export type KeyPair = {
	directory: string;
	privateKeyPath: string;
	publicKey: string;
};

export async function generateRootKey(comment: string): Promise<KeyPair> {
	const directory = mkdtempSync(path.join(tmpdir(), 'ck8s-guest-key-'));
	const privateKeyPath = path.join(directory, 'id_ed25519');
	await runOk('ssh-keygen', [
		'-q',
		'-t',
		'ed25519',
		'-N',
		'',
		'-C',
		comment,
		'-f',
		privateKeyPath,
	]);
	return {
		directory,
		privateKeyPath,
		publicKey: readFileSync(`${privateKeyPath}.pub`, 'utf8').trim(),
	};
}

/** `SHA256:…` exactly as `ssh-keygen -l` and OpenSSH's host key prompt print it. */
export function fingerprint(publicKeyLine: string): string {
	const blob = publicKeyLine.trim().split(/\s+/v)[1] ?? '';
	const digest = createHash('sha256')
		.update(Buffer.from(blob, 'base64'))
		.digest('base64');
	return `SHA256:${digest.replace(/=+$/v, '')}`;
}

/** Fresh host keys in a guest root, for tests that need guests distinguishable by host key. */
export async function regenerateHostKeys(
	root: string,
	hostname: string,
): Promise<void> {
	const types: Array<[string, string[]]> = [
		['rsa', ['-b', '3072']],
		['ecdsa', ['-b', '256']],
		['ed25519', []],
	];
	await Promise.all(
		types.map(async ([type, extra]) => {
			const file = path.join(root, `etc/ssh/ssh_host_${type}_key`);
			rmSync(file, {force: true});
			rmSync(`${file}.pub`, {force: true});
			await runOk('ssh-keygen', [
				'-q',
				'-t',
				type,
				...extra,
				'-N',
				'',
				'-C',
				`root@${hostname}`,
				'-f',
				file,
			]);
		}),
	);
}
