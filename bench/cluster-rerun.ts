// A converged re-run of the cluster phase (`install --only cluster`) through the built CLI against
// a real guest where a stand-in k3s release (its k3s serves the test cluster's API) was installed
// from local files, as bench:host does for the host phase. Reports time and SSH round trips.
import {execFileSync} from 'node:child_process';
import {performance} from 'node:perf_hooks';
import {pins} from '../source/pins.js';
import {root} from '../test/helpers/cli.js';
import {
	installArgs,
	laptopFor,
	reportOf,
	runToEnd,
} from '../test/helpers/drill.js';
import {guestSupport} from '../test/helpers/guest/support.js';
import {startGuest} from '../test/helpers/guest/with-guest.js';
import {
	airGapEnvironment,
	placeTestCluster,
	standInRelease,
} from '../test/helpers/k3s-standin/release.js';

const runs = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 5));
const support = guestSupport();
if (!support.ok) {
	console.error(
		`bench:cluster boots a real guest and ${support.reason}. Run it as root on Linux: sudo npx tsx bench/cluster-rerun.ts`,
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

const release = standInRelease(pins.k3s.version);
const guest = await startGuest({});
try {
	await placeTestCluster(guest);
	const laptop = laptopFor(guest);
	laptop.env = {...laptop.env, ...airGapEnvironment(release)};
	const first = performance.now();
	const install = await runToEnd(installArgs(guest, 'host,cluster'), laptop);
	if (install.code !== 0) {
		throw new Error(`first install failed: ${install.stderr}`);
	}

	console.log(
		`first host + cluster install: ${seconds(performance.now() - first)} (${reportOf(install).changes} changes, apt included)`,
	);
	const times: number[] = [];
	const roundTrips: number[] = [];
	for (let run = 0; run < runs; run++) {
		const start = performance.now();
		// eslint-disable-next-line no-await-in-loop -- one run after another, measured alone
		const result = await runToEnd(installArgs(guest, 'cluster'), laptop);
		times.push(performance.now() - start);
		const report = reportOf(result);
		if (result.code !== 0 || report.changes !== 0) {
			throw new Error(
				`not a converged run (exit ${result.code}, ${report.changes} changes): ${result.stderr}`,
			);
		}

		roundTrips.push(report.roundTrips ?? Number.NaN);
	}

	console.log(
		[
			`converged install --only cluster (median of ${runs}) ${seconds(median(times))}`,
			`SSH round trips of a converged run: ${[...new Set(roundTrips)].join(', ')} (target: ≤ 3 per phase, docs/contributing.md)`,
		].join('\n'),
	);
} finally {
	await guest.destroy();
}
