import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {bin, type CliResult} from './cli.js';
import type {Guest} from './guest/index.js';
import {loginAs} from './host-phase.js';

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

export type RunningCli = {
	child: ChildProcess;
	result: Promise<CliResult>;
	/** What the CLI wrote to stderr so far. */
	stderr(): string;
};

/** The built CLI as a child that a test can signal while it runs. */
export function startCli(args: string[], laptop: Laptop): RunningCli {
	const child = spawn(process.execPath, [bin, ...args], {
		cwd: laptop.home,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			PATH: process.env['PATH'],
			HOME: laptop.home,
			CODEXK8S_STATE_DIR: join(laptop.home, 'state'),
			...laptop.env,
		},
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const result = (async () => {
		const [code] = (await once(child, 'close')) as [number | undefined];
		return {code: code ?? undefined, stdout, stderr};
	})();
	return {child, result, stderr: () => stderr};
}

export async function runToEnd(
	args: string[],
	laptop: Laptop,
): Promise<CliResult> {
	return startCli(args, laptop).result;
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

/**
 * Polls the guest (as root, without SSH) until `command` succeeds; false when the CLI ended or
 * the time ran out first, so a drill that missed its moment says so instead of hanging.
 */
export async function waitOnGuest(
	guest: Guest,
	command: string,
	cli: RunningCli,
	{timeoutMs = 90_000, intervalMs = 25} = {},
): Promise<boolean> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline && cli.child.exitCode === null) {
		// eslint-disable-next-line no-await-in-loop
		const {code} = await guest.exec(command);
		if (code === 0) {
			return true;
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(intervalMs);
	}

	return false;
}

export const aptRunning =
	'pgrep -x apt-get >/dev/null || pgrep -x dpkg >/dev/null || pgrep -f "^/usr/lib/apt/methods/" >/dev/null';

/** A new root login; retried a while, as the link a drill just brought back up may still be settling. */
async function newLogin(guest: Guest): Promise<{code: number}> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			// eslint-disable-next-line no-await-in-loop
			return await loginAs(guest, 'root', guest.rootKeyPath, 'true');
		} catch (error) {
			if (Date.now() > deadline) {
				throw error;
			}
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(500);
	}
}

/** What every drill ends with: a new SSH login works, and no run holds the host lock. */
export async function hostAfterDrill(
	guest: Guest,
): Promise<{login: number; lock: string; holders: string}> {
	const login = await newLogin(guest);
	const lock = await guest.exec(
		'cat /var/lib/codex-k8s-install/lock 2>/dev/null || true',
	);
	const holders = await guest.exec(
		'flock -n /var/lib/codex-k8s-install/lock true && echo free || echo held',
	);
	return {
		login: login.code,
		lock: lock.stdout.trim(),
		holders: holders.stdout.trim(),
	};
}

/** Every fact a drill judges, gathered before judging so a failure shows all of them at once. */
export async function drillOutcome(
	guest: Guest,
	laptop: Laptop,
	stopped: CliResult,
	resumeExtra: string[] = [],
) {
	const afterStop = await hostAfterDrill(guest);
	let stoppedReport: RunReport | undefined;
	try {
		stoppedReport = reportOf(stopped);
	} catch {}

	const resumed = await runToEnd(
		// No --only: resume keeps the selection of the run it continues.
		['resume', '--yes', '--non-interactive', '--json', ...resumeExtra],
		laptop,
	);
	const dpkg = await guest.exec('dpkg --audit && apt-get check -q');
	const final = await runToEnd(installArgs(guest), laptop);
	let finalChanges: number | string;
	try {
		finalChanges = reportOf(final).changes;
	} catch (error) {
		finalChanges = (error as Error).message;
	}

	const end = await hostAfterDrill(guest);
	return {
		exitCode: stopped.code,
		stderrTail: stopped.stderr.split('\n').slice(-8).join('\n'),
		tellsHowToResume: stopped.stderr.includes('codex-k8s-install resume'),
		stoppedInPackages:
			stoppedReport?.steps.some(
				step => step.id === 'host.base-packages' && step.status !== 'done',
			) ?? 'no JSON report',
		newLogin: afterStop.login,
		// No live holder (flock) and, for a clean stop, no record left behind either.
		lockNotHeldAfterStop: afterStop.holders === 'free',
		lockFreeAfterStop:
			afterStop.holders === 'free' && !afterStop.lock.includes('"pid"'),
		lockAfterStop: afterStop.lock,
		resumeExit: resumed.code,
		resumeStderr: resumed.stderr.split('\n').slice(-8).join('\n'),
		dpkgConsistent: dpkg.code === 0,
		dpkg: dpkg.stdout + dpkg.stderr,
		finalExit: final.code,
		finalChanges,
		lockFreeAtEnd: end.holders === 'free',
	};
}
