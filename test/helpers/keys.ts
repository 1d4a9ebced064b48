import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** A real key pair made by ssh-keygen; `passphrase` makes it encrypted. */
export function makeKeyPair(
	options: {
		type?: 'ed25519' | 'rsa';
		passphrase?: string;
		format?: 'openssh' | 'pem';
	} = {},
): {path: string; publicPath: string} {
	const path = join(mkdtempSync(join(tmpdir(), 'ck8s-key-')), 'id');
	const args = [
		'-q',
		'-t',
		options.type ?? 'ed25519',
		'-N',
		options.passphrase ?? '',
		'-C',
		'test',
		'-f',
		path,
	];
	if (options.format === 'pem') {
		args.push('-m', 'PEM');
	}

	execFileSync('ssh-keygen', args);
	return {path, publicPath: `${path}.pub`};
}

/** A fresh home directory whose ~/.ssh holds these files (name → text). */
export function homeWithSsh(files: Record<string, string>): string {
	const home = mkdtempSync(join(tmpdir(), 'ck8s-home-'));
	mkdirSync(join(home, '.ssh'));
	for (const [name, text] of Object.entries(files)) {
		writeFileSync(join(home, '.ssh', name), text);
	}

	return home;
}
