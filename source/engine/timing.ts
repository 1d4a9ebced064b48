/** Where a step's time went: milliseconds in its check, apply and verify, and its SSH round trips. */
export type StepTiming = {
	checkMs: number;
	applyMs: number;
	verifyMs: number;
	roundTrips: number;
};

export type TimedPart = 'check' | 'apply' | 'verify';

export type StepClock = {
	/** Runs `work` and adds its time to `part`, and the round trips made meanwhile to the step's. */
	time<T>(part: TimedPart, work: () => Promise<T>): Promise<T>;
	/** What was measured; a check made earlier by the plan is added with `add`. */
	add(part: TimedPart, ms: number, roundTrips: number): void;
	timing(): StepTiming;
};

/**
 * One step's clock. `roundTrips` reads the session's running count (0 without a host): a step's
 * share is the difference around its own work, so the shared probe of the plan is nobody's.
 */
export function startStepClock(
	now: () => number,
	roundTrips: () => number = () => 0,
): StepClock {
	const measured: StepTiming = {
		checkMs: 0,
		applyMs: 0,
		verifyMs: 0,
		roundTrips: 0,
	};
	const add = (part: TimedPart, ms: number, trips: number) => {
		measured[`${part}Ms`] += ms;
		measured.roundTrips += trips;
	};

	return {
		async time(part, work) {
			const started = now();
			const tripsBefore = roundTrips();
			try {
				return await work();
			} finally {
				add(part, now() - started, roundTrips() - tripsBefore);
			}
		},
		add,
		timing: () => ({...measured}),
	};
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)}s`;

/** `check 0.12s · apply 3.40s · verify 0.08s · 3 round trips`, for `--verbose` and the log. */
export const formatTiming = (timing: StepTiming): string =>
	[
		`check ${seconds(timing.checkMs)}`,
		`apply ${seconds(timing.applyMs)}`,
		`verify ${seconds(timing.verifyMs)}`,
		`${timing.roundTrips} round trip${timing.roundTrips === 1 ? '' : 's'}`,
	].join(' · ');

export const totalMs = (timing: StepTiming): number =>
	timing.checkMs + timing.applyMs + timing.verifyMs;

/** The `count` steps that took longest, slowest first: where the next optimisation pays. */
export function slowestSteps<T extends {timing?: StepTiming}>(
	steps: readonly T[],
	count = 5,
): Array<T & {timing: StepTiming}> {
	return steps
		.filter(
			(step): step is T & {timing: StepTiming} => step.timing !== undefined,
		)
		.toSorted((a, b) => totalMs(b.timing) - totalMs(a.timing))
		.slice(0, count);
}
