import {execFileSync} from 'node:child_process';
import {mkdtempSync} from 'node:fs';
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
