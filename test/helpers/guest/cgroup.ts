import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	rmdirSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {sleepSync} from './process.js';

const cgroupRoot = '/sys/fs/cgroup';

/**
 * The cgroup hierarchies a guest's launcher joins: the v2 one (unified or hybrid mount) and, on
 * hybrid hosts, the v1 `name=systemd` one that nspawn and the guest's systemd also look at.
 * PID 1 on the test machines is not systemd, so there is no `systemd-run --scope` to ask.
 */
function hierarchies(): {unified?: string; named?: string} {
	const unified = existsSync(path.join(cgroupRoot, 'cgroup.controllers'))
		? cgroupRoot
		: existsSync(path.join(cgroupRoot, 'unified/cgroup.controllers'))
			? path.join(cgroupRoot, 'unified')
			: undefined;
	const named = existsSync(path.join(cgroupRoot, 'systemd/cgroup.procs'))
		? path.join(cgroupRoot, 'systemd')
		: undefined;
	return {unified, named};
}

export function cgroupSupport(): string | undefined {
	const {unified} = hierarchies();
	if (!unified) {
		return 'no cgroup v2 hierarchy is mounted';
	}

	return undefined;
}

function directories(name: string): string[] {
	const {unified, named} = hierarchies();
	return [unified, named]
		.filter((root): root is string => root !== undefined)
		.map(root => path.join(root, name));
}

/** Creates the guest's cgroups; returns the `cgroup.procs` files the launcher writes itself into. */
export function createCgroup(name: string): string[] {
	destroyCgroup(name);
	return directories(name).map(directory => {
		mkdirSync(directory);
		return path.join(directory, 'cgroup.procs');
	});
}

function processes(directory: string): number[] {
	const own = readFileSync(path.join(directory, 'cgroup.procs'), 'utf8')
		.split('\n')
		.filter(Boolean)
		.map(Number);
	const children = readdirSync(directory, {withFileTypes: true})
		.filter(entry => entry.isDirectory())
		.flatMap(entry => processes(path.join(directory, entry.name)));
	return [...own, ...children];
}

function removeTree(directory: string): void {
	for (const entry of readdirSync(directory, {withFileTypes: true})) {
		if (entry.isDirectory()) {
			removeTree(path.join(directory, entry.name));
		}
	}

	rmdirSync(directory);
}

/** Kills every process of the guest and removes its cgroups. Idempotent and synchronous. */
export function destroyCgroup(name: string): void {
	const existing = directories(name).filter(directory => existsSync(directory));
	for (let attempt = 0; attempt < 100; attempt++) {
		const pids = existing.flatMap(directory => processes(directory));
		if (pids.length === 0) {
			break;
		}

		for (const directory of existing) {
			const kill = path.join(directory, 'cgroup.kill');
			if (existsSync(kill)) {
				writeFileSync(kill, '1');
			}
		}

		// Older kernels have no cgroup.kill; processes forking meanwhile are caught by the next round.
		for (const pid of pids) {
			try {
				process.kill(pid, 'SIGKILL');
			} catch {
				// Already gone.
			}
		}

		sleepSync(20);
	}

	for (const directory of existing) {
		removeTree(directory);
	}
}
