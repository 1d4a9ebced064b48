import type {Input} from '../config/schema.js';
import {errorJson, formatError, UsageError} from '../errors.js';
import type {Logger} from '../log.js';
import {mayHaveChanged, type RunResult} from '../engine/runner.js';
import {asInvoked} from './invoked-as.js';
import type {Invocation} from './index.js';

/** The `--json` document of a run (docs/contributing.md, House rules): per step id, phase and status, and `changes`. */
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
		// Remote commands on the run's SSH session: the unit of the round-trip budget (docs/contributing.md).
		...(roundTrips === undefined ? {} : {roundTrips}),
		steps: result.steps.map(step => ({
			id: step.id,
			phase: step.phase,
			title: step.title,
			status: step.status,
			changes: step.changes,
			...(step.note ? {note: step.note} : {}),
			...(step.error ? {error: step.error} : {}),
			...(step.timing ? {timing: step.timing} : {}),
		})),
		...(result.error === undefined ? {} : {error: errorJson(result.error)}),
		log: logFile ?? null,
	};
}

/** A run that failed before its first step: while connecting, locking or planning. */
export const failedEarly = (error: unknown, durationMs: number): RunResult => ({
	ok: false,
	changes: 0,
	durationMs,
	steps: [],
	error,
});

export type RunOutcome = {
	mode: Input['mode'];
	result: RunResult;
	log: Logger;
	roundTrips?: number;
	/** `user@host:port`, for the terminal summary. */
	target?: string;
	/** Phases this version cannot install yet. */
	later?: readonly string[];
};

/**
 * The outcome of a run: the JSON document on stdout, or a line; an error and what to do next on
 * stderr. In a terminal the summary screen says all of it.
 */
export async function reportRun(
	invocation: Invocation,
	outcome: RunOutcome,
): Promise<void> {
	const {streams, flags} = invocation;
	if (streams.stderr.isTTY && !flags['json']) {
		const {summaryText} = await import('../ui/show-summary.js');
		const text = summaryText(
			{
				result: outcome.result,
				target: outcome.target ?? '',
				mode: outcome.mode,
				logFile: outcome.log.file,
				later: outcome.later,
				resumeCommand: `${invocation.program} resume`,
			},
			streams.stderr.columns,
		);
		streams.stderr.write(
			`\n${outcome.log.redact(asInvoked(text, invocation.program))}\n`,
		);
		return;
	}

	reportPlain(invocation, outcome);
}

function reportPlain(
	{streams, flags, command, program}: Invocation,
	{mode, result, log, roundTrips}: RunOutcome,
): void {
	const logFile = log.file;
	if (flags['json']) {
		const document = runJson(command, mode, result, {logFile, roundTrips});
		streams.stdout.write(
			`${log.redact(asInvoked(JSON.stringify(document, undefined, 2), program))}\n`,
		);
	} else if (result.ok) {
		const notes = result.steps.flatMap(step =>
			step.status === 'changed' && step.note
				? [`  ${step.title}: ${step.note}\n`]
				: [],
		);
		streams.stdout.write(
			log.redact(
				`Done: ${result.changes} change${result.changes === 1 ? '' : 's'}. Log: ${logFile}\n${notes.join('')}`,
			),
		);
	}

	if (!result.ok) {
		const {error} = result;
		const message = asInvoked(formatError(error, logFile), program);
		streams.stderr.write(`${log.redact(message)}\n`);
		// Said once: many hints already name resume; a usage error is fixed by changing the command,
		// and a run that changed nothing is simply run again.
		if (
			mayHaveChanged(result) &&
			!message.includes('codex-k8s-install resume') &&
			!(error instanceof UsageError)
		) {
			streams.stderr.write(`  Fix the cause, then run: ${program} resume\n`);
		}
	}
}
