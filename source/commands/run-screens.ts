import type {EventSink} from '../engine/events.js';
import type {Plan} from '../engine/plan.js';
import {createLineRenderer} from '../report/line-renderer.js';
import {planText} from '../report/plan-text.js';
import {planHeader} from './plan.js';
import type {Session} from './session.js';
import type {Invocation} from './index.js';

/** The plan before the question: the Ink view in a terminal, text otherwise, nothing with --json. */
export async function printPlan(
	{streams, flags}: Invocation,
	plan: Plan,
	session: Session,
): Promise<void> {
	if (flags['json']) {
		return;
	}

	if (streams.stderr.isTTY) {
		const {showPlan} = await import('../ui/show-plan.js');
		await showPlan(plan, planHeader(session), streams.stderr);
	} else {
		streams.stderr.write(planText(plan, planHeader(session)));
	}
}

/** The live run view on a terminal (unless --verbose asks for every line); plain lines otherwise. */
export async function runView(
	{streams, flags}: Invocation,
	session: Session,
): Promise<{sink: EventSink; stop(): void}> {
	if (streams.stderr.isTTY && !flags['verbose']) {
		const {startLiveRun} = await import('../ui/live-run.js');
		const mode = session.input.mode ? ` · ${session.input.mode} mode` : '';
		return startLiveRun(
			streams.stderr as NodeJS.WriteStream,
			`${session.key ?? ''}${mode}`,
		);
	}

	const sink = createLineRenderer(streams.stderr, {
		color: Boolean(streams.stderr.isTTY),
		output: Boolean(flags['verbose']),
	});
	return {sink, stop: () => undefined};
}
