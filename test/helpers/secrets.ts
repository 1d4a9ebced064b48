import {randomBytes} from 'node:crypto';
import {writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** A secret made at test time, shaped like the real kind (`ghp_`, `github_pat_`, `sk-`); never committed. */
export const fakeSecret = (prefix: string): string =>
	`${prefix}${randomBytes(16).toString('hex')}`;

/** `value` in `directory/name`, readable only by its owner, as an operator keeps a token file. */
export function secretFile(directory: string, name: string, value: string) {
	const path = join(directory, name);
	writeFileSync(path, `${value}\n`, {mode: 0o600});
	return path;
}
