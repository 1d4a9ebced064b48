import {randomBytes} from 'node:crypto';

/** A secret made at test time, shaped like the real kind (`ghp_`, `github_pat_`, `sk-`); never committed. */
export const fakeSecret = (prefix: string): string =>
	`${prefix}${randomBytes(16).toString('hex')}`;
