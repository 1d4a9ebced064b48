import type {Step} from '../../source/engine/step.js';
import {hostOf, sshCommand} from '../kit.js';
import {preflightFacts} from './facts.js';

const gib = 1024 ** 3;

/**
 * Minimums for k3s + PostgreSQL + the platform + in-cluster image builds:
 * - memory: k3s server ~0.6 GiB, PostgreSQL with pgvector ~0.5 GiB, platform pods ~1 GiB,
 *   BuildKit and a runner job ~1.5 GiB at peak. A "4 GB" machine reports about 3.7–3.9 GiB
 *   MemTotal (the kernel keeps some), so 3.5 GiB is the line.
 * - disk on the file system of /var (containerd images, the registry, PostgreSQL, build cache):
 *   k3s and system images ~3 GiB, platform images and their build cache ~8 GiB, the registry
 *   copy ~4 GiB, database and logs and headroom before image GC starts: 20 GiB free.
 * - when /var is its own file system, / still needs room for binaries and /etc: 2 GiB free.
 */
export type Minimums = {
	memoryBytes: number;
	varFreeBytes: number;
	rootFreeBytes: number;
};

export const defaultMinimums: Minimums = {
	memoryBytes: 3.5 * gib,
	varFreeBytes: 20 * gib,
	rootFreeBytes: 2 * gib,
};

export const formatGib = (bytes: number) =>
	`${(bytes / gib).toFixed(1).replace(/\.0$/, '')} GiB`;

export function resourcesStep(minimums: Minimums = defaultMinimums): Step {
	return {
		id: 'preflight.resources',
		phase: 'preflight',
		title: 'Disk and memory',
		reach: 'host',
		probes: () => preflightFacts,
		runbook: input => ({
			check: [`${sshCommand(input)} 'df -h / /var; free -h'`],
			fix: [
				`free space under /var (sudo apt-get clean; sudo journalctl --vacuum-size=200M; with k3s: sudo k3s crictl rmi --prune) or resize the server; at least ${formatGib(minimums.varFreeBytes)} free and ${formatGib(minimums.memoryBytes)} of memory`,
			],
		}),
		describe: () => [
			`at least ${formatGib(minimums.varFreeBytes)} free for /var and ${formatGib(minimums.memoryBytes)} of memory (a 4 GB machine)`,
		],
		async check(context) {
			const {disk, memory} = await hostOf(context).facts.read(
				preflightFacts,
				context.signal,
			);
			const varSeparate = disk.variable.mount !== disk.root.mount;
			const short: string[] = [];
			const room = (free: number, wanted: number, where: string) => {
				if (free < wanted) {
					short.push(
						`${formatGib(free)} free on ${where} (${formatGib(wanted)} needed)`,
					);
				}
			};

			room(
				disk.variable.availableBytes,
				minimums.varFreeBytes,
				disk.variable.mount,
			);
			if (varSeparate) {
				room(disk.root.availableBytes, minimums.rootFreeBytes, '/');
			}

			if (memory.totalBytes < minimums.memoryBytes) {
				short.push(
					`${formatGib(memory.totalBytes)} of memory (${formatGib(minimums.memoryBytes)} needed)`,
				);
			}

			const disks = varSeparate
				? `${formatGib(disk.root.availableBytes)} free on /, ${formatGib(disk.variable.availableBytes)} on ${disk.variable.mount}`
				: `${formatGib(disk.root.availableBytes)} free on /`;
			if (short.length === 0) {
				return {
					kind: 'done',
					note: `${disks}; ${formatGib(memory.totalBytes)} of memory`,
				};
			}

			return {
				kind: 'blocked',
				problem: `not enough room: ${short.join('; ')}`,
				hint: 'k3s, PostgreSQL, the platform and its image builds need them. Resize the server (or free space under /var) and run again.',
			};
		},
	};
}

export const resources = resourcesStep();
