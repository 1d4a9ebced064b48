import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {runCliAsync, type CliResult} from './cli.js';
import type {Guest} from './guest/index.js';

export type RunReport = {
	ok: boolean;
	changes: number;
	roundTrips?: number;
	steps: Array<{id: string; status: string}>;
	error?: string;
};

/** One operator's laptop: the same HOME and state directory for install, resume and re-runs. */
export type Laptop = {home: string; env: NodeJS.ProcessEnv};

export function laptopFor(guest: Guest): Laptop {
	return {
		home: mkdtempSync(join(tmpdir(), 'ck8s-drill-')),
		env: {CODEXK8S_HTTP_PROXY: guest.aptProxyUrl},
	};
}

export const hostArgs = (guest: Guest): string[] => [
	'--host',
	guest.address,
	'--identity',
	guest.rootKeyPath,
	'--host-key-fingerprint',
	guest.hostKeyFingerprint,
	'--mode',
	'local',
];

export const installArgs = (guest: Guest, only = 'host'): string[] => [
	'install',
	'--only',
	only,
	'--yes',
	'--non-interactive',
	'--json',
	...hostArgs(guest),
];

export async function runToEnd(
	args: string[],
	laptop: Laptop,
): Promise<CliResult> {
	return runCliAsync(args, {home: laptop.home, env: laptop.env});
}

/** Parses a `--json` run report, saying what came instead when it is not one. */
export function reportOf(result: CliResult): RunReport {
	try {
		return JSON.parse(result.stdout) as RunReport;
	} catch {
		throw new Error(
			`no JSON report (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
		);
	}
}
