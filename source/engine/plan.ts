import type {Input, Phase} from '../config/schema.js';
import {NotThereYetError, UnreachableError, UserError} from '../errors.js';
import type {Finding, Reach, Step, StepContext} from './step.js';

export type PlannedStep = {
	id: string;
	phase: Phase;
	title: string;
	reach: Reach;
	description: string[];
	finding: Finding;
	/** Saved completion exists but the step's inputs changed since. */
	inputsChanged: boolean;
	/** How long the check took and its own round trips, when it ran (a run counts it as the step's). */
	check?: {ms: number; roundTrips: number};
};

export type Plan = {
	mode: Input['mode'];
	/** Remote steps were checked (`--probe`, or a real run). */
	probed: boolean;
	steps: PlannedStep[];
};

export type PlanOptions = {
	/** Also run the read-only checks of host and GitHub steps. */
	probe: boolean;
	/** Input fingerprints of steps completed earlier, from the state file. */
	completed?: ReadonlyMap<string, string>;
	fingerprint?: (step: Step, input: Input) => string;
	/** Phases this version does not have yet: steps that require one are skipped. */
	unbuilt?: readonly Phase[];
	/** Told what the plan waits for now (reading the host, a check on GitHub), to show it. */
	onWait?: (what: string) => void;
	/** The clock for the checks' timing; `performance.now` unless a test gives its own. */
	now?: () => number;
};

const checkingWhere = {
	local: 'Checking',
	host: 'Checking the host',
	github: 'Checking GitHub',
	cluster: 'Checking the cluster',
} as const satisfies Record<Reach, string>;

function missingPhase(step: Step, unbuilt: readonly Phase[] = []) {
	const missing = step.requires?.find(phase => unbuilt.includes(phase));
	return missing
		? {
				kind: 'skipped' as const,
				reason: `needs the ${missing} phase, which comes in a later version`,
			}
		: undefined;
}

const reachWords = {
	local: 'here',
	host: 'on the host',
	cluster: 'in the cluster',
	github: 'on GitHub',
} as const;

async function findingOf(
	step: Step,
	context: StepContext,
	{probe, onWait}: Pick<PlanOptions, 'probe' | 'onWait'>,
): Promise<Finding> {
	if (step.reach !== 'local' && !probe) {
		return {
			kind: 'unknown',
			reason: `checked ${reachWords[step.reach]} when run`,
		};
	}

	try {
		onWait?.(`${checkingWhere[step.reach]}: ${step.title}`);
		return await step.check(context);
	} catch (error) {
		if (error instanceof NotThereYetError) {
			return {
				kind: 'unknown',
				reason: `${error.message}: checked when the run gets here`,
			};
		}

		if (
			error instanceof UserError &&
			!(error instanceof UnreachableError) &&
			!context.signal.aborted
		) {
			return {kind: 'blocked', problem: error.message, hint: error.hint};
		}

		throw error;
	}
}

/** Run every step's read-only check, in order, and report what a run would do. */
export async function makePlan(
	steps: readonly Step[],
	context: StepContext,
	options: PlanOptions,
): Promise<Plan> {
	const facts = context.host?.facts;
	if (options.probe && facts) {
		const sets = steps.flatMap(step =>
			step.probes ? [step.probes(context.input)] : [],
		);
		options.onWait?.('Reading the host');
		await facts.sendAhead(sets, context.signal);
	}

	try {
		return await planSteps(steps, context, options);
	} finally {
		facts?.dropAhead();
	}
}

async function planSteps(
	steps: readonly Step[],
	context: StepContext,
	options: PlanOptions,
): Promise<Plan> {
	const planned: PlannedStep[] = [];
	const roundTrips = () => context.host?.session.roundTrips ?? 0;
	const now = options.now ?? (() => performance.now());
	for (const step of steps) {
		const saved = options.completed?.get(step.id);
		const inputsChanged =
			saved !== undefined &&
			options.fingerprint !== undefined &&
			saved !== options.fingerprint(step, context.input);
		const settled =
			missingPhase(step, options.unbuilt) ??
			(step.checkOnce && saved !== undefined && !inputsChanged
				? {
						kind: 'done' as const,
						note: 'completed earlier with the same inputs',
					}
				: undefined);
		const started = now();
		const tripsBefore = roundTrips();
		const finding =
			settled ??
			// eslint-disable-next-line no-await-in-loop -- checks are ordered: later ones rely on earlier facts
			(await findingOf(step, context, options));
		planned.push({
			id: step.id,
			phase: step.phase,
			title: step.title,
			reach: step.reach,
			description: step.describe(context.input),
			finding,
			inputsChanged,
			...(settled !== undefined || finding.kind === 'unknown'
				? {}
				: {
						check: {
							ms: now() - started,
							roundTrips: roundTrips() - tripsBefore,
						},
					}),
		});
	}

	return {mode: context.input.mode, probed: options.probe, steps: planned};
}

/** How the plan view labels a finding. */
export const findingLabel = (finding: Finding): string =>
	({
		done: 'already done',
		new: 'new',
		change: 'change',
		blocked: 'blocked',
		skipped: 'skipped',
		unknown: 'not probed',
	})[finding.kind];

export const countChanges = (plan: Plan): number =>
	plan.steps.filter(
		step => step.finding.kind === 'new' || step.finding.kind === 'change',
	).length;
