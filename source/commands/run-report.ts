import type {Input} from '../config/schema.js';
import {formatError} from '../engine/errors.js';
import type {RunResult} from '../engine/runner.js';

/** The `--json` document of a run (design §1): per step id, phase and status, and `changes`. */
export function runJson(
	command: string,
	mode: Input['mode'],
	result: RunResult,
	{logFile, roundTrips}: {logFile?: string; roundTrips?: number} = {},
) {
	return {
		command,
		ok: result.ok,
		mode: mode ?? null,
		changes: result.changes,
		durationMs: result.durationMs,
		// Remote commands on the run's SSH session: the unit of the design §4 budget.
		...(roundTrips === undefined ? {} : {roundTrips}),
		steps: result.steps.map(step => ({
			id: step.id,
			phase: step.phase,
			title: step.title,
			status: step.status,
			changes: step.changes,
			...(step.note ? {note: step.note} : {}),
			...(step.error ? {error: step.error} : {}),
		})),
		...(result.error === undefined
			? {}
			: {error: formatError(result.error).replace(/^✖ /, '')}),
		log: logFile ?? null,
	};
}
