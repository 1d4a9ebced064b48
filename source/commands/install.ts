import type {Phase} from '../config/schema.js';
import {
	exitCodeOf,
	exitCodes,
	InterruptedError,
	StoppedAtQuestionError,
	stoppedBeforeAnyChange,
	UsageError,
	UserError,
} from '../errors.js';
import {fanOut, type EventSink} from '../engine/events.js';
import {StateStore} from '../engine/state.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import {createInterrupt, type Interrupt} from '../engine/interrupt.js';
import {makePlan} from '../engine/plan.js';
import {unbuiltPhases} from '../engine/registry.js';
import {
	mayHaveChanged,
	runSteps,
	type Journal,
	type RunResult,
} from '../engine/runner.js';
import type {Step} from '../engine/step.js';
import {allSteps} from '../../steps/index.js';
import type {Waits} from '../report/waits.js';
import {
	assertAnswersGiven,
	assertNothingBlocked,
	confirmChanges,
} from './install-gates.js';
import {
	lockHost,
	openRemote,
	operatorForLaterPhases,
	reachesHost,
	type RemoteRun,
} from './remote.js';
import {printPlan, runView} from './run-screens.js';
import {answersOfRun, answersToSave} from './saved-answers.js';
import {failedEarly, reportRun} from './run-report.js';
import {
	openSession,
	progressLine,
	stepContext,
	waitsOn,
	type Session,
} from './session.js';
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

/** What a run came to; `declined`: the operator said no at the prompt, nothing ran. */
type Attempt = {declined: true} | {result: RunResult; roundTrips?: number};

/** Connect, lock, plan, confirm and run; the connection and the lock end with it. */
async function attempt(
	invocation: Invocation,
	session: Session<StateStore> & {key: string},
	{
		interrupt,
		sink,
		unbuilt,
		waits,
	}: {
		interrupt: Interrupt;
		sink?: EventSink;
		unbuilt: readonly Phase[];
		waits: Waits;
	},
): Promise<Attempt> {
	const {env, streams} = invocation;
	let remoteRun: RemoteRun | undefined;
	let lock: {release(): Promise<void>} | undefined;
	try {
		if (reachesHost(session)) {
			waits.begin(`Connecting to ${session.key}`);
		}

		remoteRun = await openRemote(session, invocation, interrupt.signal, waits);
		if (remoteRun) {
			waits.begin('Taking the host’s lock');
			lock = await lockHost(remoteRun.host.session, invocation, waits);
		}

		const base = {
			...stepContext(session, interrupt.signal, env, progressLine(waits)),
			host: remoteRun?.host,
		};
		const plan = await makePlan(session.steps, base, {
			probe: true,
			completed: session.store.completions(session.key),
			fingerprint: fingerprintStep,
			unbuilt,
			onWait(what) {
				waits.begin(what);
			},
		});
		waits.end();
		await printPlan(invocation, plan, session);

		assertNothingBlocked(plan);
		if (!(await confirmChanges(invocation, plan))) {
			streams.stderr.write('Nothing was changed.\n');
			return {declined: true};
		}

		const view = await runView(invocation, session);
		const result = await runSteps(session.steps, base, {
			command: invocation.command,
			dryRun: false,
			plan,
			journal: journalFor(session),
			sink: fanOut(view.sink, ...(sink ? [sink] : [])),
			phaseContext: operatorForLaterPhases(session, remoteRun),
		}).finally(() => {
			view.stop();
		});
		return {result, roundTrips: remoteRun?.host.session.roundTrips};
	} finally {
		waits.end(false);
		await lock?.release();
		await remoteRun?.close();
	}
}

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

	assertAnswersGiven(session.input, session.phases);
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
	store.finishRun(key, runId, {
		outcome: outcomeOf(result),
		changes: result.changes,
	});
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
