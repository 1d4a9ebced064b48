import type {Phase} from '../config/schema.js';
import {fanOut, type EventSink} from '../engine/events.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import type {Interrupt} from '../engine/interrupt.js';
import {makePlan} from '../engine/plan.js';
import {runSteps, type Journal, type RunResult} from '../engine/runner.js';
import type {StateStore} from '../engine/state.js';
import type {Waits} from '../report/waits.js';
import {assertNothingBlocked, confirmChanges} from './install-gates.js';
import {
	lockHost,
	openRemote,
	operatorForLaterPhases,
	reachesHost,
	type RemoteRun,
} from './remote.js';
import {printPlan, runView} from './run-screens.js';
import {progressLine, stepContext, type Session} from './session.js';
import type {Invocation} from './index.js';

/** What a run came to; `declined`: the operator said no at the prompt, nothing ran. */
export type Attempt =
	{declined: true} | {result: RunResult; roundTrips?: number};

/** Connect, lock, plan, confirm and run; the connection and the lock end with it. */
export async function attempt(
	invocation: Invocation,
	session: Session<StateStore> & {key: string},
	{
		interrupt,
		sink,
		unbuilt,
		waits,
		journal,
	}: {
		journal: Journal;
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
			journal,
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
