// What the benchmarks share: medians, and the installer's host phase run and read as a report.
import {performance} from 'node:perf_hooks';
import type {StepTiming} from '../source/engine/timing.js';
import {
	installArgs,
	laptopFor,
	reportOf,
	runToEnd,
	type Laptop,
} from '../test/helpers/drill.js';
import type {Guest} from '../test/helpers/guest/with-guest.js';

export const median = (values: readonly number[]): number => {
	const sorted = values.toSorted((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2
		? sorted[middle]!
		: (sorted[middle - 1]! + sorted[middle]!) / 2;
};

export const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export type Sample = {ms: number; roundTrips: number; changed: number};

export type InstallerRun = Sample & {
	steps: Array<{id: string; timing?: StepTiming}>;
};

/** Where the installer reaches the guest: directly, or through a relay on 127.0.0.1. */
export type Route = {host: string; port: number};

/** The installer's own session of a guest: one laptop (home, state) for its first run and re-runs. */
export function installerOn(guest: Guest, route: Route) {
	const laptop: Laptop = laptopFor(guest);
	const args = installArgs(guest).map(argument =>
		argument === guest.address ? route.host : argument,
	);
	args.push('--port', String(route.port));
	return async (): Promise<InstallerRun> => {
		const start = performance.now();
		const result = await runToEnd(args, laptop);
		const ms = performance.now() - start;
		const report = reportOf(result) as ReturnType<typeof reportOf> & {
			steps: InstallerRun['steps'];
		};
		if (result.code !== 0) {
			throw new Error(`install failed (exit ${result.code}): ${result.stderr}`);
		}

		return {
			ms,
			roundTrips: report.roundTrips ?? Number.NaN,
			changed: report.changes,
			steps: report.steps,
		};
	};
}
