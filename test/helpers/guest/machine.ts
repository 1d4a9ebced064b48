import {type ChildProcess, spawn} from 'node:child_process';
import {closeSync, existsSync, openSync, readFileSync, rmSync} from 'node:fs';
import path from 'node:path';
import {sbinPath, type SlotNames} from './constants.js';
import {createCgroup, destroyCgroup} from './cgroup.js';
import {destroyGuestNetwork} from './network.js';
import {destroyGuestRoot, mergedDirectory} from './overlay.js';
import {poll, run, type RunResult} from './process.js';
import {findLeader, portOpen} from './probe.js';

export type ExecOptions = {
	stdin?: string | Uint8Array;
	/** Kills the command inside the guest after this long; it then exits with code 124. */
	timeoutMs?: number;
};

export type Machine = {
	exec(command: string, options?: ExecOptions): Promise<RunResult>;
	waitReady(timeoutMs: number): Promise<void>;
	reboot(timeoutMs: number): Promise<void>;
	bootLog(): string;
};

// Exit status of systemd-nspawn when the guest asked for a reboot.
const rebootStatus = 133;

// Moves the launcher into the guest's own cgroups before it becomes systemd-nspawn, so that
// `--keep-unit` uses those and teardown can kill exactly this guest.
const launcherScript =
	'for file in $CK8S_CGROUP_PROCS; do echo $$ > "$file" || exit 97; done; exec "$@"';

const guestEnvironment = [
	`PATH=${sbinPath}`,
	'HOME=/root',
	'USER=root',
	'LOGNAME=root',
	'LANG=C.UTF-8',
	'TERM=dumb',
	'DEBIAN_FRONTEND=noninteractive',
];

export function startMachine(names: SlotNames): Machine {
	const logFile = path.join(names.directory, 'boot.log');
	const state: {generation: number; launcher?: ChildProcess; exit?: string} = {
		generation: 0,
	};

	const launch = () => {
		const cgroupProcs = createCgroup(names.cgroup);
		const log = openSync(logFile, 'a');
		const child = spawn(
			'sh',
			[
				'-c',
				launcherScript,
				'ck8s-launcher',
				'systemd-nspawn',
				'--quiet',
				'--boot',
				'--register=no',
				'--keep-unit',
				'--console=read-only',
				'--link-journal=no',
				'--resolv-conf=off',
				`--network-namespace-path=/run/netns/${names.netns}`,
				// Firewall steps (ufw, nftables) must really work inside the guest.
				'--capability=CAP_NET_ADMIN',
				`--directory=${mergedDirectory(names)}`,
				`--machine=${names.machine}`,
			],
			{
				stdio: ['ignore', log, log],
				env: {
					...process.env,
					PATH: `${process.env['PATH'] ?? ''}:${sbinPath}`,
					CK8S_CGROUP_PROCS: cgroupProcs.join(' '),
					// As measured in reference/test-host.md: lets the guest configure its own network
					// namespace and run systemd on the unified hierarchy on this hybrid-cgroup host.
					SYSTEMD_NSPAWN_API_VFS_WRITABLE: 'network',
					SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: '1',
				},
			},
		);
		closeSync(log);
		// A forgotten guest must not keep the test worker alive; the exit hook then kills it.
		child.unref();
		state.generation++;
		state.launcher = child;
		state.exit = undefined;
		child.once('exit', (code, signal) => {
			if (state.launcher !== child) {
				return;
			}

			state.launcher = undefined;
			state.exit = signal ?? String(code);
			// Like systemd-nspawn@.service: a reboot from inside the guest starts it again.
			if (code === rebootStatus) {
				launch();
			}
		});
	};

	const bootLog = () =>
		existsSync(logFile)
			? readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n')
			: '';

	const failure = (message: string) =>
		new Error(
			`guest ${names.machine} (${names.address}): ${message}\n--- boot log ---\n${bootLog()}`,
		);

	const leader = () => {
		const pid = state.launcher?.pid;
		return pid === undefined ? undefined : findLeader(pid);
	};

	const exec = async (command: string, options: ExecOptions = {}) => {
		const {timeoutMs} = options;
		const pid = leader();
		if (pid === undefined) {
			throw failure(`not running (launcher exit: ${state.exit ?? 'none'})`);
		}

		return run(
			'nsenter',
			[
				'--target',
				String(pid),
				'--all',
				'--root',
				'--wd',
				'--',
				'/usr/bin/env',
				'-i',
				...guestEnvironment,
				// Killing nsenter would not stop what it forked inside the guest; timeout(1) does.
				...(timeoutMs === undefined
					? []
					: ['timeout', '--kill-after=2', `${Math.ceil(timeoutMs / 1000)}s`]),
				'/bin/sh',
				'-c',
				command,
			],
			{
				stdin: options.stdin,
				timeoutMs: timeoutMs === undefined ? undefined : timeoutMs + 5000,
			},
		);
	};

	const waitReady = async (timeoutMs: number) => {
		const deadline = Date.now() + timeoutMs;
		await poll(
			async () => {
				if (!state.launcher) {
					throw failure(
						`systemd-nspawn exited (${state.exit ?? '?'}) before sshd listened`,
					);
				}

				return portOpen(names.address, 22);
			},
			deadline,
			() => failure(`port 22 not reachable within ${timeoutMs} ms`),
		);

		const result = await exec('systemctl is-system-running --wait', {
			timeoutMs: Math.max(deadline - Date.now(), 1000),
		});
		const status = result.stdout.trim();
		// Some units cannot start in a container; `degraded` is how a healthy container boot looks.
		if (status !== 'running' && status !== 'degraded') {
			throw failure(`system state is "${status}" ${result.stderr.trim()}`);
		}
	};

	launch();
	return {
		exec,
		waitReady,
		async reboot(timeoutMs) {
			const {generation} = state;
			// Its own session dies with the guest, so its exit status says nothing.
			await exec('systemctl reboot').catch(() => undefined);
			const deadline = Date.now() + timeoutMs;
			await poll(
				() => state.generation !== generation && leader() !== undefined,
				deadline,
				() => failure('did not come back from reboot'),
			);

			await waitReady(Math.max(deadline - Date.now(), 1000));
		},
		bootLog,
	};
}

/** Removes everything a guest in this slot may have left, including after a crashed test run. */
export function destroySlot(names: SlotNames): void {
	destroyCgroup(names.cgroup);
	destroyGuestRoot(names);
	// Systemd-nspawn leaves this behind when /run is not a tmpfs.
	rmSync(`/run/systemd/nspawn/propagate/${names.machine}`, {
		recursive: true,
		force: true,
	});
	destroyGuestNetwork(names);
}
