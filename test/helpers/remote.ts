import {mkdirSync, mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import type {Input} from '../../source/config/schema.js';
import {createLogger, type Logger} from '../../source/log.js';
import type {Prompter} from '../../source/remote/types.js';
import type {Guest} from './guest/index.js';

/** A logger that keeps its (redacted) lines in memory, for checks that secrets stay out. */
export function memoryLogger(): Logger & {lines: string[]} {
	const inner = createLogger();
	const lines: string[] = [];
	const keep = (level: string) => (message: string) => {
		lines.push(`${level} ${inner.redact(message)}`);
	};

	return {
		lines,
		info: keep('info'),
		warn: keep('warn'),
		error: keep('error'),
		addSecret(value) {
			inner.addSecret(value);
		},
		redact: text => inner.redact(text),
	};
}

/** An empty home directory with ~/.ssh (0700), removed by `dispose`. */
export function temporaryHome(): {home: string; ssh: string; dispose(): void} {
	const home = mkdtempSync(path.join(tmpdir(), 'ck8s-home-'));
	const ssh = path.join(home, '.ssh');
	mkdirSync(ssh, {mode: 0o700});
	return {
		home,
		ssh,
		dispose() {
			rmSync(home, {recursive: true, force: true});
		},
	};
}

export type Connection = Input['connection'];

/** Connection input for a guest: root with the harness key and its host key pinned by fingerprint. */
export function guestConnection(
	guest: Guest,
	home: string,
	overrides: Partial<Connection> = {},
): Connection {
	return {
		host: guest.address,
		port: guest.port,
		user: 'root',
		identity: guest.rootKeyPath,
		hostKeyFingerprint: guest.hostKeyFingerprint,
		knownHosts: path.join(home, '.ssh', 'known_hosts'),
		...overrides,
	};
}

/** A prompter with scripted answers that records every question. */
export function scriptedPrompter(answers: {
	secrets?: string[];
	confirms?: boolean[];
}): Prompter & {questions: string[]} {
	const secrets = [...(answers.secrets ?? [])];
	const confirms = [...(answers.confirms ?? [])];
	const questions: string[] = [];
	return {
		questions,
		async confirm(question) {
			questions.push(`confirm: ${question}`);
			const answer = confirms.shift();
			if (answer === undefined) {
				throw new Error(`unexpected confirm: ${question}`);
			}

			return answer;
		},
		async secret(question) {
			questions.push(`secret: ${question}`);
			const answer = secrets.shift();
			if (answer === undefined) {
				throw new Error(`unexpected secret question: ${question}`);
			}

			return answer;
		},
	};
}

/** The name other tests already import. */
// eslint-disable-next-line unicorn/prevent-abbreviations -- kept for existing importers
export const tempHome = temporaryHome;
