import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {
	type CliCommand,
	type CliResult,
	type RunningCli,
	runCliAsync,
	startCli,
} from './cli.js';
import type {Guest} from './guest/index.js';
import {loginAs} from './host-phase.js';

export type RunReport = {
	ok: boolean;
	changes: number;
	roundTrips?: number;
	steps: Array<{id: string; status: string; note?: string}>;
	error?: string;
};

/** One operator's laptop: the same HOME and state directory for install, resume and re-runs. */
export type Laptop = {
	home: string;
	env: NodeJS.ProcessEnv;
	/** Another Node.js or an installed package instead of the machine's Node and dist/bin.js. */
	command?: CliCommand;
};

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

export const startOn = (args: string[], laptop: Laptop): RunningCli =>
	startCli(args, laptop);

export async function runToEnd(
	args: string[],
	laptop: Laptop,
): Promise<CliResult> {
	return runCliAsync(args, laptop);
}

/** A step of `plan --json`, as the tests read it. */
export type PlannedStep = {
	id: string;
	phase: string;
	status: string;
	changes: string[];
	error?: string;
	hint?: string;
};

/** `plan --probe --only host --json` against the guest, from the laptop; throws unless it exits 0. */
export async function probedPlanOf(
	guest: Guest,
	laptop: Laptop,
): Promise<{probed: boolean; changes: number; steps: PlannedStep[]}> {
	const result = await runToEnd(
		['plan', '--probe', '--only', 'host', '--json', ...hostArgs(guest)],
		laptop,
	);
	if (result.code !== 0) {
		throw new Error(`plan --probe failed (${result.code}): ${result.stderr}`);
	}

	return JSON.parse(result.stdout) as {
		probed: boolean;
		changes: number;
		steps: PlannedStep[];
	};
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
 * Polls the guest (as root, without SSH) until `command` succeeds; false when the CLI ended
 * first, so a drill that missed its moment says so. No time limit of its own: on a busy machine
 * the moment comes late, and the test's timeout bounds a CLI that hangs.
 */
export async function waitOnGuest(
	guest: Guest,
	command: string,
	cli: RunningCli,
): Promise<boolean> {
	while (cli.child.exitCode === null && cli.child.signalCode === null) {
		// eslint-disable-next-line no-await-in-loop
		const {code} = await guest.exec(command);
		if (code === 0) {
			return true;
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(25);
	}

	return false;
}

// Not `pgrep -x dpkg`: preflight's `dpkg --print-architecture` would match before any step runs.
export const aptRunning =
	'pgrep -x apt-get >/dev/null || pgrep -f "^/usr/lib/apt/methods/" >/dev/null';

/** A new root login; retried a while, as the link a drill just brought back up may still be settling. */
async function newLogin(guest: Guest): Promise<number> {
	const deadline = Date.now() + 20_000;
	for (;;) {
		try {
			// eslint-disable-next-line no-await-in-loop
			const login = await loginAs(guest, 'root', guest.rootKeyPath, 'true');
			return login.code;
		} catch (error) {
			if (Date.now() > deadline) {
				throw error;
			}
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(500);
	}
}

/** Whether a run holds the host lock (flock), and the record left in it. */
async function lockOn(guest: Guest): Promise<{held: boolean; record: string}> {
	const {stdout} = await guest.exec(
		'flock -n /var/lib/codex-k8s-install/lock true && echo free || echo held; cat /var/lib/codex-k8s-install/lock 2>/dev/null || true',
	);
	const [state, ...record] = stdout.split('\n');
	return {held: state === 'held', record: record.join('\n').trim()};
}

/**
 * Every fact a drill judges, gathered before judging so that a failure shows all of them at
 * once: how the run stopped, the host right after, `resume` (without --only: it keeps the
 * selection), dpkg's consistency, and a final run that must change nothing.
 */
export async function drillOutcome(
	guest: Guest,
	laptop: Laptop,
	stopped: CliResult,
) {
	const loginAfterStop = await newLogin(guest);
	const lockAfterStop = await lockOn(guest);
	let stoppedReport: RunReport | string;
	try {
		stoppedReport = reportOf(stopped);
	} catch (error) {
		stoppedReport = (error as Error).message;
	}

	const resumed = await runToEnd(
		['resume', '--yes', '--non-interactive', '--json'],
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

	const lockAtEnd = await lockOn(guest);
	return {
		exitCode: stopped.code,
		stderrTail: stopped.stderr.split('\n').slice(-8).join('\n'),
		tellsHowToResume: stopped.stderr.includes('codex-k8s-install resume'),
		reportSaysNotOk:
			typeof stoppedReport === 'string' ? stoppedReport : !stoppedReport.ok,
		loginAfterStop,
		lockHeldAfterStop: lockAfterStop.held,
		recordAfterStop: lockAfterStop.record,
		resumeExit: resumed.code,
		resumeStderr: resumed.stderr.split('\n').slice(-8).join('\n'),
		dpkgConsistent: dpkg.code === 0,
		finalExit: final.code,
		finalChanges,
		lockHeldAtEnd: lockAtEnd.held,
	};
}

export type Strike = 'Ctrl-C' | 'SSH cut';

/** Ctrl-C to the CLI, or the guest's link taken down; waits for the CLI to end (link back up). */
export async function strike(
	kind: Strike,
	cli: RunningCli,
	guest: Guest,
): Promise<CliResult> {
	if (kind === 'Ctrl-C') {
		cli.child.kill('SIGINT');
	} else {
		await guest.cutNetwork();
	}

	try {
		return await cli.result;
	} finally {
		await guest.restoreNetwork();
	}
}

/** The host-phase install, started; resolves once apt runs on the guest (throws if it never did). */
export async function startUntilApt(
	guest: Guest,
	laptop: Laptop,
): Promise<RunningCli> {
	const cli = startOn(installArgs(guest), laptop);
	if (!(await waitOnGuest(guest, aptRunning, cli))) {
		cli.child.kill();
		throw new Error(`apt never ran while the CLI did: ${cli.stderr()}`);
	}

	return cli;
}
