import {
	exitCodeOf,
	exitCodes,
	InterruptedError,
	StoppedAtQuestionError,
	stoppedBeforeAnyChange,
	UsageError,
	UserError,
} from '../errors.js';
import type {EventSink} from '../engine/events.js';
import {StateStore} from '../engine/state.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import {createInterrupt, type Interrupt} from '../engine/interrupt.js';
import {unbuiltPhases} from '../engine/registry.js';
import {
	mayHaveChanged,
	type Journal,
	type RunResult,
} from '../engine/runner.js';
import type {Step} from '../engine/step.js';
import {allSteps} from '../../steps/index.js';
import {assertAnswersGiven} from './install-gates.js';
import {attempt, type Attempt} from './install-attempt.js';
import {answersOfRun, answersToSave} from './saved-answers.js';
import {failedEarly, reportRun} from './run-report.js';
import {openSession, waitsOn, type Session} from './session.js';
import type {Invocation} from './index.js';

export type InstallDeps = {
	registry?: readonly Step[];
	interrupt?: Interrupt;
	/** Extra consumer of engine events (the Ink run view, or a test). */
	sink?: EventSink;
};

function journalFor(session: Session<StateStore> & {key: string}): Journal {
	const {store, key, log, input} = session;
	return {
		completed(step) {
			store.stepCompleted(key, step.id, fingerprintStep(step, input));
		},
		failed(step, error) {
			const message = log.redact(
				error instanceof Error ? error.message : String(error),
			);
			log.error(
				`[${step.id}] ${error instanceof Error ? (error.stack ?? message) : message}`,
			);
			store.stepFailed(key, {
				stepId: step.id,
				message,
				hint:
					error instanceof UserError && error.hint
						? log.redact(error.hint)
						: undefined,
			});
		},
	};
}

const outcomeOf = (result: RunResult) =>
	result.ok
		? 'ok'
		: result.error instanceof InterruptedError
			? 'interrupted'
			: 'failed';

/** A run stopped before any change is not offered for resume: running it again does as much. */
const saidAsItIs = (result: RunResult): RunResult =>
	result.error instanceof InterruptedError && !mayHaveChanged(result)
		? {...result, error: stoppedBeforeAnyChange()}
		: result;

const stoppedUntouched = (result: RunResult) =>
	result.error instanceof InterruptedError && !result.error.resumable;

/**
 * `install` and `resume`: plan with read-only checks, confirm, run the changes, remember the
 * outcome. Resume is the same with the saved answers: done steps report "already done". The run
 * is recorded before connecting, so a run stopped at any moment can be resumed.
 */
export async function install(
	invocation: Invocation,
	deps: InstallDeps & {resume?: boolean} = {},
): Promise<number> {
	const {streams, flags} = invocation;
	const registry = deps.registry ?? allSteps;
	const session = await openSession(invocation, {
		registry,
		alwaysLog: true,
		resume: deps.resume,
		openState: directory => new StateStore({directory}),
		builtPhasesOnly: true,
		// In a terminal, `install` asks first (the wizard); `resume` and `--yes` runs never ask.
		ask: invocation.interactive && !deps.resume && !flags['yes'],
	});
	const {key, store, log} = session;
	if (!key && deps.resume) {
		throw new UsageError(
			'There is no unfinished install to resume',
			'Pass --host (or CODEXK8S_HOST, or connection.host in --config).',
		);
	}

	assertAnswersGiven(session.input, session.phases, session.known);
	if (!key) {
		throw new UsageError(
			'No target host given',
			'Pass --host (or CODEXK8S_HOST, or connection.host in --config).',
		);
	}

	const waits = waitsOn(streams);
	const interrupt =
		deps.interrupt ??
		createInterrupt({
			notify(message) {
				waits.line(`\n${message}`);
			},
		});
	if (session.notice) {
		streams.stderr.write(`${session.notice}\n`);
	}

	store.saveAnswers(key, answersToSave(session, store.target(key).answers));
	const runId = store.startRun(key, invocation.command, {
		only: session.only,
		answers: answersOfRun(session),
	});
	const startedAt = Date.now();
	let outcome: Attempt;
	try {
		outcome = await attempt(
			invocation,
			{...session, key},
			{
				interrupt,
				sink: deps.sink,
				unbuilt: unbuiltPhases(registry),
				waits,
				journal: journalFor({...session, key}),
			},
		);
	} catch (error) {
		if (error instanceof StoppedAtQuestionError) {
			// Stopped before any step ran: not a run to resume.
			store.dropRun(key, runId);
			throw error;
		}

		const early = interrupt.signal.aborted ? new InterruptedError() : error;
		// Before any step ran (the connection, the plan): the summary names the log, so it says why.
		log.error(
			early instanceof Error ? (early.stack ?? early.message) : String(early),
		);
		if (early instanceof UserError && early.hint) {
			log.error(early.hint);
		}

		outcome = {result: failedEarly(early, Date.now() - startedAt)};
	} finally {
		interrupt.dispose();
	}

	if ('declined' in outcome) {
		store.dropRun(key, runId);
		return exitCodes.ok;
	}

	const {roundTrips} = outcome;
	const result = saidAsItIs(outcome.result);
	if (stoppedUntouched(result)) {
		// Nothing to resume: running `install` again does as much.
		store.dropRun(key, runId);
	} else {
		store.finishRun(key, runId, {
			outcome: outcomeOf(result),
			changes: result.changes,
		});
	}

	await reportRun(invocation, {
		mode: session.input.mode,
		result,
		log,
		roundTrips,
		target: key,
		later: session.later,
	});
	return result.ok ? exitCodes.ok : exitCodeOf(result.error);
}

export const run = async (invocation: Invocation) => install(invocation);
