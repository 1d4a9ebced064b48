// A converged re-run of the host phase through the built CLI against a real guest, as ratios to a
// baseline measured in the same run and to the design's Ansible figure (docs/contributing.md, House rules).
import {execFileSync, spawn} from 'node:child_process';
import {once} from 'node:events';
import {performance} from 'node:perf_hooks';
import {bin, root} from '../test/helpers/cli.js';
import {
	installArgs,
	laptopFor,
	reportOf,
	runToEnd,
	type Laptop,
} from '../test/helpers/drill.js';
import {guestSupport} from '../test/helpers/guest/support.js';
import {startGuest, type Guest} from '../test/helpers/guest/with-guest.js';
import {startLatencyRelay} from './latency-relay.js';

const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
// Not measured here: the design's figures for an Ansible playbook doing the same work.
const ansible = {converged: 7.7, latency50: 12};
const support = guestSupport();
if (!support.ok) {
	console.error(
		`bench:host boots a real guest and ${support.reason}. Run it as root on Linux: sudo npx tsx bench/host-rerun.ts`,
	);
	process.exit(1);
}

// Always: a stale bundle would measure old code.
execFileSync('npm', ['run', '--silent', 'build'], {
	cwd: root,
	stdio: 'inherit',
});

const median = (values: number[]) => {
	const sorted = values.toSorted((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2
		? sorted[middle]!
		: (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(3)} s`;

/** Async on purpose: the guest reaches apt through a proxy that lives in this process. */
async function timed(command: string, args: string[]): Promise<number> {
	const start = performance.now();
	const child = spawn(command, args, {stdio: 'ignore'});
	const [code] = (await once(child, 'close')) as [number];
	if (code !== 0) {
		throw new Error(`${command} ${args.join(' ')} exited ${code}`);
	}

	return performance.now() - start;
}

async function sample(measure: () => Promise<number>): Promise<number[]> {
	const times: number[] = [];
	for (let run = 0; run < runs; run++) {
		// eslint-disable-next-line no-await-in-loop
		times.push(await measure());
	}

	return times;
}

async function converged(
	laptop: Laptop,
	args: string[],
): Promise<{times: number[]; roundTrips: number[]}> {
	const roundTrips: number[] = [];
	const times = await sample(async () => {
		const start = performance.now();
		const result = await runToEnd(args, laptop);
		const elapsed = performance.now() - start;
		const report = reportOf(result);
		if (result.code !== 0 || report.changes !== 0) {
			throw new Error(
				`not a converged run (exit ${result.code}, ${report.changes} changes): ${result.stderr}`,
			);
		}

		roundTrips.push(report.roundTrips ?? Number.NaN);
		return elapsed;
	});
	return {times, roundTrips};
}

function sshArgs(guest: Guest, port = guest.port, host = guest.address) {
	return [
		'-o',
		'BatchMode=yes',
		'-o',
		'StrictHostKeyChecking=no',
		'-o',
		'UserKnownHostsFile=/dev/null',
		'-o',
		'LogLevel=ERROR',
		'-i',
		guest.rootKeyPath,
		'-p',
		String(port),
		`root@${host}`,
		'true',
	];
}

const guest = await startGuest({});
const rows: string[] = [];
try {
	const laptop = laptopFor(guest);
	const first = performance.now();
	const install = await runToEnd(installArgs(guest), laptop);
	if (install.code !== 0) {
		throw new Error(`first install failed: ${install.stderr}`);
	}

	console.log(
		`first host-phase install: ${seconds(performance.now() - first)} (${reportOf(install).changes} changes, apt included)`,
	);
	const help = median(
		await sample(async () => timed(process.execPath, [bin, '--help'])),
	);
	const ssh = median(await sample(async () => timed('ssh', sshArgs(guest))));
	const direct = await converged(laptop, installArgs(guest));
	const rerun = median(direct.times);
	rows.push(
		`baseline: codex-k8s-install --help        ${seconds(help)}`,
		`baseline: ssh root@guest true (one login)  ${seconds(ssh)}`,
		`converged install --only host (median of ${runs}) ${seconds(rerun)}  = ${(rerun / ssh).toFixed(1)}× one ssh login, ${(rerun / help).toFixed(1)}× --help`,
		`SSH round trips of a converged run: ${[...new Set(direct.roundTrips)].join(', ')} (target: ≤ 3 per phase, docs/contributing.md)`,
		`vs Ansible converged re-run ${ansible.converged} s (design's figure, not measured here): ${((ansible.converged * 1000) / rerun).toFixed(1)}× faster (target ≥ 8×)`,
	);
	const relay = await startLatencyRelay(guest.address, guest.port, 50);
	try {
		const slowArgs = installArgs(guest).map(argument =>
			argument === guest.address ? '127.0.0.1' : argument,
		);
		slowArgs.push('--port', String(relay.port));
		const slowLaptop = {...laptop};
		const slowSsh = median(
			await sample(async () =>
				timed('ssh', sshArgs(guest, relay.port, '127.0.0.1')),
			),
		);
		const slow = await converged(slowLaptop, slowArgs);
		const slowRerun = median(slow.times);
		rows.push(
			`with +50 ms round trip (Node relay): ssh login ${seconds(slowSsh)}, converged re-run ${seconds(slowRerun)} (${[...new Set(slow.roundTrips)].join(', ')} round trips)`,
			`vs Ansible with 50 ms ${ansible.latency50} s (design's figure, not measured here): ${((ansible.latency50 * 1000) / slowRerun).toFixed(1)}× faster (target ≥ 8×)`,
		);
	} finally {
		await relay.close();
	}
} finally {
	await guest.destroy();
}

console.log(rows.join('\n'));
