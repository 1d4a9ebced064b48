import {Listr, type ListrTask} from 'listr2';
import type {Phase} from '../config/schema.js';
import {forStep} from '../github/context.js';
import {InterruptedError} from '../errors.js';
import {EventRenderer, type Outcome} from './event-renderer.js';
import type {EventSink} from './events.js';
import type {Plan} from './plan.js';
import {runStep} from './run-step.js';
import type {Finding, Step, StepContext, StepStatus} from './step.js';
import {formatTiming, startStepClock, type StepTiming} from './timing.js';

/** Where the runner reports completions and failures (the state file, in the product). */
export type Journal = {
	completed(step: Step): void;
	failed(step: Step, error: unknown): void;
};

export type RunOptions = {
	command: string;
	/** Check only; report `would-change` instead of applying. */
	dryRun: boolean;
	sink: EventSink;
	/** Findings from a plan made just before: not checked again. */
	plan?: Plan;
	journal?: Journal;
	now?: () => number;
	/**
	 * The context a phase's steps get, asked before its first step (the install hands the phases
	 * after the host phase the operator's login here). Without it, every phase gets the run's.
	 */
	phaseContext?: (
		phase: Phase,
		base: StepContextBase,
	) => Promise<StepContextBase>;
};

export type StepResult = {
	id: string;
	phase: Phase;
	title: string;
	status: StepStatus;
	changes: string[];
	note?: string;
	error?: string;
	/** Where the step's time went; the plan's check of it counts as its check. */
	timing?: StepTiming;
};

export type RunResult = {
	ok: boolean;
	changes: number;
	durationMs: number;
	steps: StepResult[];
	error?: unknown;
};

export type StepContextBase = Omit<StepContext, 'output'>;

/**
 * Whether a step changed something, or failed while it may have been changing it. A run that
 * stopped before (checking, planning, connecting) has nothing to resume: the same command again
 * does as much.
 */
export const mayHaveChanged = (result: RunResult): boolean =>
	result.steps.some(
		step => step.status === 'changed' || step.status === 'failed',
	);

const changesOf = (finding: Finding) =>
	finding.kind === 'new' || finding.kind === 'change' ? finding.changes : [];

const noteOf = (finding: Finding) =>
	finding.kind === 'skipped'
		? finding.reason
		: finding.kind === 'done'
			? finding.note
			: undefined;

/**
 * Run the steps as a listr2 tree grouped by phase. Every state change reaches `sink` as a typed
 * event; nothing here draws on the terminal. Stops at the first failure; an aborted signal stops
 * before the next step and after the current remote command.
 */
export async function runSteps(
	steps: readonly Step[],
	runBase: StepContextBase,
	options: RunOptions,
): Promise<RunResult> {
	const now = options.now ?? Date.now;
	const startedAt = now();
	const outcomes = new Map<string, Outcome>();
	const results: StepResult[] = [];
	const findings = new Map(
		options.plan?.steps.map(step => [step.id, step.finding]),
	);
	const checks = new Map(
		options.plan?.steps.flatMap(step =>
			step.check ? [[step.id, step.check] as const] : [],
		),
	);
	const stepTask = (step: Step, base: StepContextBase): ListrTask => ({
		title: step.title,
		rendererOptions: {stepId: step.id},
		async task(_, task) {
			if (base.signal.aborted) {
				// The step that would have run next is where a resume picks up: the prompt names it.
				const interrupted = new InterruptedError();
				options.journal?.failed(step, interrupted);
				throw interrupted;
			}

			const output = (line: string) => {
				base.log.info(`[${step.id}] ${line}`);
				task.output = base.log.redact(line);
			};

			const context: StepContext = {
				...base,
				output,
				// GitHub's retries show under this step, and its Ctrl-C stops them.
				github: forStep(base.github, {signal: base.signal, output}),
			};
			const clock = startStepClock(
				now,
				() => base.host?.session.roundTrips ?? 0,
			);
			const planned = findings.get(step.id);
			const checked = planned && checks.get(step.id);
			if (checked) {
				clock.add('check', checked.ms, checked.roundTrips);
			}

			const timed = () => {
				const timing = clock.timing();
				base.log.info(`[${step.id}] ${formatTiming(timing)}`);
				return timing;
			};

			try {
				const {status, finding, note} = await runStep(step, context, planned, {
					dryRun: options.dryRun,
					clock,
				});
				options.sink({type: 'step-finding', id: step.id, finding});
				const timing = timed();
				outcomes.set(step.id, {status, timing});
				if (status === 'changed' && step.replansLater) {
					// What the later steps found before the wait may have changed meanwhile. A skip
					// stays: the plan decided it from the input and the phases this version has
					// (re-checking a step that needs a phase to come would run it).
					for (const [id, finding] of findings) {
						if (finding.kind !== 'skipped') {
							findings.delete(id);
						}
					}
				}

				results.push({
					id: step.id,
					phase: step.phase,
					title: step.title,
					status,
					changes: changesOf(finding),
					note: note ?? noteOf(finding),
					timing,
				});
				// A skipped step did not run: remembering it as completed would let a `checkOnce` step
				// (the deploy run) count as done once it can run.
				if (status === 'done' || status === 'changed') {
					options.journal?.completed(step);
				}
			} catch (error) {
				const failure =
					base.signal.aborted && !(error instanceof InterruptedError)
						? new InterruptedError()
						: error;
				const message = base.log.redact(
					failure instanceof Error ? failure.message : String(failure),
				);
				const timing = timed();
				outcomes.set(step.id, {status: 'failed', error: message, timing});
				results.push({
					id: step.id,
					phase: step.phase,
					title: step.title,
					status: 'failed',
					changes: [],
					error: message,
					timing,
				});
				options.journal?.failed(step, failure);
				throw failure;
			}
		},
	});

	const byPhase = new Map<Phase, Step[]>();
	for (const step of steps) {
		byPhase.set(step.phase, [...(byPhase.get(step.phase) ?? []), step]);
	}

	const tree = new Listr<unknown, typeof EventRenderer, typeof EventRenderer>(
		[...byPhase].map(([phase, phaseSteps]) => ({
			title: phase,
			rendererOptions: {phase},
			async task(_, task) {
				const base = (await options.phaseContext?.(phase, runBase)) ?? runBase;
				return task.newListr(
					phaseSteps.map(step => stepTask(step, base)),
					{exitOnError: true},
				);
			},
		})),
		{
			renderer: EventRenderer,
			fallbackRenderer: EventRenderer,
			rendererOptions: {sink: options.sink, outcomes, now},
			fallbackRendererOptions: {sink: options.sink, outcomes, now},
			exitOnError: true,
			registerSignalListeners: false,
		},
	);

	options.sink({
		type: 'run-start',
		command: options.command,
		steps: steps.map(({id, phase, title}) => ({id, phase, title})),
	});
	let error: unknown;
	try {
		await tree.run();
	} catch (error_) {
		error = error_;
	}

	const changes = results.filter(
		result => result.status === 'changed' || result.status === 'would-change',
	).length;
	const durationMs = now() - startedAt;
	options.sink({
		type: 'run-finish',
		ok: error === undefined,
		changes,
		durationMs,
	});
	return {
		ok: error === undefined,
		changes,
		durationMs,
		steps: results,
		...(error === undefined ? {} : {error}),
	};
}
