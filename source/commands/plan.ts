import {join} from 'node:path';
import {exitCodes, stoppedBeforeAnyChange} from '../errors.js';
import {createInterrupt} from '../engine/interrupt.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import {makePlan, type Plan} from '../engine/plan.js';
import {builtPhases, unbuiltNotice, unbuiltPhases} from '../engine/registry.js';
import {allSteps} from '../../steps/index.js';
import {planJsonText} from '../report/plan-json.js';
import type {PlanHeader} from '../report/plan-summary.js';
import {planText} from '../report/plan-text.js';
import {readState} from '../engine/state-file.js';
import {assertAnswersGiven} from './install-gates.js';
import {openRemote, reachesHost, type RemoteRun} from './remote.js';
import {
	openSession,
	progressLine,
	stepContext,
	waitsOn,
	type Session,
} from './session.js';
import type {Invocation} from './index.js';

export const planHeader = (session: Session): PlanHeader => ({
	target: session.key ?? '(no host given)',
});

/** `plan`: every step's read-only check, rendered; offline unless --probe. */
export async function run(invocation: Invocation): Promise<number> {
	const {flags, streams, env} = invocation;
	const session = await openSession(invocation, {
		registry: allSteps,
		alwaysLog: false,
		openState: directory => readState(join(directory, 'state.json')),
	});
	const notice = session.only && unbuiltNotice(allSteps, session.only);
	if (notice) {
		streams.stderr.write(
			`${notice}: the plan has no step for it. Built so far: ${builtPhases(allSteps).join(', ')}.\n`,
		);
	}

	const probe = Boolean(flags['probe']);
	if (probe) {
		// As install does: every missing answer at once, before anything connects.
		const built = builtPhases(allSteps);
		assertAnswersGiven(
			session.input,
			session.phases.filter(phase => built.includes(phase)),
			session.known,
		);
	}

	const waits = waitsOn(streams);
	// Probing reads the host and GitHub, which may take a while: Ctrl-C stops it, in one line (a
	// plan changes nothing, so there is no state to save and nothing to say before the stop).
	const interrupt = probe ? createInterrupt() : undefined;
	const signal = interrupt?.signal ?? new AbortController().signal;
	let remoteRun: RemoteRun | undefined;
	let plan: Plan;
	try {
		if (probe && reachesHost(session)) {
			waits.begin(`Connecting to ${session.key ?? 'the host'}`);
			remoteRun = await openRemote(session, invocation, signal, waits);
		}

		plan = await makePlan(
			session.steps,
			{
				...stepContext(session, signal, env, progressLine(waits)),
				host: remoteRun?.host,
			},
			{
				probe,
				completed: session.key
					? session.store.completions(session.key)
					: undefined,
				fingerprint: fingerprintStep,
				unbuilt: unbuiltPhases(allSteps),
				// Offline, only local checks run: too quick to show.
				onWait: probe
					? what => {
							waits.begin(what);
						}
					: undefined,
			},
		);
		waits.end();
	} catch (error) {
		throw signal.aborted ? stoppedBeforeAnyChange() : error;
	} finally {
		waits.end(false);
		interrupt?.dispose();
		await remoteRun?.close();
	}

	const header = planHeader(session);
	if (flags['json']) {
		streams.stdout.write(planJsonText(plan, header));
	} else if (streams.stdout.isTTY) {
		const {showPlan} = await import('../ui/show-plan.js');
		await showPlan(plan, header, streams.stdout);
	} else {
		streams.stdout.write(planText(plan, header));
	}

	// A plan with blocked steps is still a plan: it shows the fix; `install` is what stops.
	return exitCodes.ok;
}
