import type {Invocation} from '../cli.js';
import {phases, type Phase} from '../config/schema.js';
import {
	exitCodeOf,
	exitCodes,
	formatError,
	InterruptedError,
	UsageError,
	UserError,
} from '../engine/errors.js';
import {fanOut, type EventSink} from '../engine/events.js';
import type {Logger} from '../engine/log.js';
import {StateStore} from '../engine/state.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import {createInterrupt, type Interrupt} from '../engine/interrupt.js';
import {countChanges, makePlan, type Plan} from '../engine/plan.js';
import {runSteps, type Journal, type RunResult} from '../engine/runner.js';
import type {Step} from '../engine/step.js';
import {allSteps} from '../../steps/index.js';
import {createLineRenderer} from '../report/line-renderer.js';
import {planText} from '../report/plan-text.js';
import {askYesNo} from './confirm.js';
import {lockHost, openRemote, type RemoteRun} from './remote.js';
import {planHeader} from './plan.js';
import {runJson} from './run-report.js';
import {
	answersToSave,
	openSession,
	stepContext,
	type Session,
} from './session.js';

export type InstallDeps = {
	registry?: readonly Step[];
	interrupt?: Interrupt;
	/** Extra consumer of engine events (the Ink run view, or a test). */
	sink?: EventSink;
};

function unbuiltPhases(
	registry: readonly Step[],
	wanted: readonly string[],
): string[] {
	return wanted.filter(
		phase =>
			phase !== 'preflight' && !registry.some(step => step.phase === phase),
	);
}

function assertBuilt(
	registry: readonly Step[],
	wanted: readonly Phase[],
): void {
	const unbuilt = unbuiltPhases(registry, wanted);
	if (unbuilt.length > 0) {
		const built = phases.filter(phase => !unbuilt.includes(phase));
		throw new UserError(
			`This version cannot install the ${unbuilt.join(', ')} phase${unbuilt.length > 1 ? 's' : ''} yet`,
			{
				hint: `Built so far: ${built.join(', ')}. \`codex-k8s-install plan\` shows every step this version has.`,
			},
		);
	}
}

/**
 * A blocked step anywhere stops the install before its first change: running the steps before it
 * would leave a half-changed host for a problem that was known up front.
 */
function assertNothingBlocked(plan: Plan): void {
	const blocked = plan.steps.flatMap(step =>
		step.finding.kind === 'blocked'
			? [{title: step.title, ...step.finding}]
			: [],
	);
	if (blocked.length > 0) {
		throw new UserError(
			`Nothing was changed: ${blocked.length} step${blocked.length > 1 ? 's are' : ' is'} blocked`,
			{
				hint: blocked
					.map(
						({title, problem, hint}) =>
							`${title}: ${problem}${hint ? `\n  → ${hint.replaceAll('\n', '\n  → ')}` : ''}`,
					)
					.join('\n'),
			},
		);
	}
}

/** True to go on. Without a terminal, changes need --yes: a script must never hang on a prompt. */
async function confirmChanges(
	invocation: Invocation,
	plan: Plan,
): Promise<boolean> {
	const changes = countChanges(plan);
	if (changes === 0 || invocation.flags['yes']) {
		return true;
	}

	const what = `${changes} change${changes > 1 ? 's' : ''}`;
	if (!invocation.interactive) {
		throw new UsageError(
			`The plan has ${what}`,
			'Pass --yes to apply them without a prompt.',
		);
	}

	return askYesNo(invocation.streams, `Apply ${what}?`);
}

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

function report(
	invocation: Invocation,
	{
		plan,
		result,
		log,
		roundTrips,
	}: {plan: Plan; result: RunResult; log: Logger; roundTrips?: number},
): void {
	const {streams, flags, command} = invocation;
	const logFile = log.file;
	if (flags['json']) {
		const document = runJson(command, plan.mode, result, {logFile, roundTrips});
		streams.stdout.write(
			`${log.redact(JSON.stringify(document, undefined, 2))}\n`,
		);
	} else if (result.ok) {
		streams.stdout.write(
			`Done: ${result.changes} change${result.changes === 1 ? '' : 's'}. Log: ${logFile}\n`,
		);
	}

	if (!result.ok) {
		streams.stderr.write(`${log.redact(formatError(result.error, logFile))}\n`);
		if (!(result.error instanceof InterruptedError)) {
			streams.stderr.write(
				'  Fix the cause, then run: codex-k8s-install resume\n',
			);
		}
	}
}

const outcomeOf = (result: RunResult) =>
	result.ok
		? 'ok'
		: result.error instanceof InterruptedError
			? 'interrupted'
			: 'failed';

/**
 * `install` and `resume`: plan with read-only checks, confirm, run the changes, remember the
 * outcome. Resume is the same with the saved answers: done steps report "already done".
 */
export async function install(
	invocation: Invocation,
	deps: InstallDeps & {resume?: boolean} = {},
): Promise<number> {
	const {flags, streams, env} = invocation;
	const registry = deps.registry ?? allSteps;
	const session = await openSession(invocation, {
		registry,
		alwaysLog: true,
		resume: deps.resume,
		openState: directory => new StateStore({directory}),
	});
	assertBuilt(registry, session.phases);
	const {key, store, log} = session;
	if (!key) {
		throw new UsageError(
			deps.resume
				? 'There is no unfinished install to resume'
				: 'No target host given',
			'Pass --host (or CODEXK8S_HOST, or connection.host in --config).',
		);
	}

	const interrupt =
		deps.interrupt ??
		createInterrupt({
			notify(message) {
				streams.stderr.write(`\n${message}\n`);
			},
		});
	let remoteRun: RemoteRun | undefined;
	let lock: {release(): Promise<void>} | undefined;
	try {
		remoteRun = await openRemote(session, invocation, interrupt.signal);
		lock = remoteRun && (await lockHost(remoteRun.remote, invocation));
		const base = {
			...stepContext(session, interrupt.signal, env),
			remote: remoteRun?.remote,
			verifyLogin: remoteRun?.verifyLogin,
		};
		const plan = await makePlan(session.steps, base, {
			probe: true,
			completed: store.completions(key),
			fingerprint: fingerprintStep,
		});
		if (!flags['json']) {
			streams.stderr.write(planText(plan, planHeader(session)));
		}

		assertNothingBlocked(plan);
		if (!(await confirmChanges(invocation, plan))) {
			streams.stderr.write('Nothing was changed.\n');
			return exitCodes.ok;
		}

		store.saveAnswers(key, answersToSave(session));
		const runId = store.startRun(key, invocation.command, {
			only: session.only,
		});
		const sinks = [
			createLineRenderer(streams.stderr, {
				color: Boolean(streams.stderr.isTTY),
				output: Boolean(flags['verbose']),
			}),
			...(deps.sink ? [deps.sink] : []),
		];
		const result = await runSteps(session.steps, base, {
			command: invocation.command,
			dryRun: false,
			plan,
			journal: journalFor({...session, key}),
			sink: fanOut(...sinks),
		});
		store.finishRun(key, runId, {
			outcome: outcomeOf(result),
			changes: result.changes,
		});
		report(invocation, {
			plan,
			result,
			log,
			roundTrips: remoteRun?.remote.roundTrips,
		});
		return result.ok ? exitCodes.ok : exitCodeOf(result.error);
	} finally {
		await lock?.release();
		await remoteRun?.close();
		interrupt.dispose();
	}
}

export const run = async (invocation: Invocation) => install(invocation);
