/** Exit codes (docs/how-it-works.md#exit-codes). */
export const exitCodes = {
	ok: 0,
	failed: 1,
	usage: 2,
	interrupted: 130,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/**
 * An expected failure: the operator did or has something we can explain. Printed without a stack:
 * what happened, what to do, and where the runbook says more.
 */
export class UserError extends Error {
	override name = 'UserError';
	readonly exitCode: ExitCode;
	readonly hint?: string;
	readonly runbookSection?: string;

	constructor(
		message: string,
		options: {
			hint?: string;
			exitCode?: ExitCode;
			runbookSection?: string;
			cause?: unknown;
		} = {},
	) {
		super(message, {cause: options.cause});
		this.hint = options.hint;
		this.exitCode = options.exitCode ?? exitCodes.failed;
		this.runbookSection = options.runbookSection;
	}
}

/**
 * A service the run needs does not answer (GitHub, the network). Planning stops at the first
 * one: every later check would only fail the same way.
 */
export class UnreachableError extends UserError {
	override name = 'UnreachableError';
}

/**
 * What a check reads does not exist until an earlier step of the run makes it (the cluster before
 * k3s is installed). The plan says it is checked when the run gets there; a run fails with it.
 */
export class NotThereYetError extends UserError {
	override name = 'NotThereYetError';
}

/** Bad flags, config or answers: exit 2. */
export class UsageError extends UserError {
	override name = 'UsageError';

	constructor(message: string, hint?: string) {
		super(message, {hint, exitCode: exitCodes.usage});
	}
}

/** The operator stopped the run (Ctrl-C or SIGTERM): exit 130. */
export class InterruptedError extends UserError {
	override name = 'InterruptedError';
	/** Whether something changed before the stop, so that `resume` has something to continue. */
	readonly resumable: boolean;

	constructor(message = 'Interrupted', {resumable = true} = {}) {
		super(message, {
			exitCode: exitCodes.interrupted,
			hint: resumable
				? 'Nothing is lost: run `codex-k8s-install resume` to continue.'
				: undefined,
		});
		this.resumable = resumable;
	}
}

/** Ctrl-C before any step changed anything: nothing to resume, the same command again does as much. */
export const stoppedBeforeAnyChange = () =>
	new InterruptedError('Stopped before any change; nothing was changed', {
		resumable: false,
	});

/**
 * Ctrl-C at a question (the wizard, the resume offer, the apply confirmation, the host key): no
 * step has run, so there is nothing to resume; one line, exit 130.
 */
export class StoppedAtQuestionError extends UserError {
	override name = 'StoppedAtQuestionError';

	constructor(where = 'at the question') {
		super(`Stopped ${where}; nothing was changed`, {
			exitCode: exitCodes.interrupted,
		});
	}
}

export function exitCodeOf(error: unknown): ExitCode {
	return error instanceof UserError ? error.exitCode : exitCodes.failed;
}

/** Text for stderr: a UserError is explained, anything else is a bug with its stack. */
export function formatError(error: unknown, logFile?: string): string {
	if (error instanceof UserError) {
		const lines = [`✖ ${error.message}`];
		if (error.hint) {
			lines.push(`  ${error.hint.replaceAll('\n', '\n  ')}`);
		}

		if (error.runbookSection) {
			lines.push(`  Runbook: ${error.runbookSection}`);
		}

		if (logFile) {
			lines.push(`  Log: ${logFile}`);
		}

		return lines.join('\n');
	}

	const stack =
		error instanceof Error ? (error.stack ?? error.message) : String(error);
	const lines = [
		'✖ Unexpected error — this is a bug in codex-k8s-install.',
		stack,
	];
	if (logFile) {
		lines.push(`Log: ${logFile}`);
	}

	lines.push('Please report it with the log attached.');
	return lines.join('\n');
}

/** The `error` member of a `--json` document: the same words as on stderr, as fields. */
export function errorJson(error: unknown): {
	kind: 'usage' | 'failed' | 'interrupted' | 'bug';
	message: string;
	hint?: string;
	runbookSection?: string;
	exitCode: ExitCode;
} {
	if (error instanceof UserError) {
		const kinds = {
			[exitCodes.ok]: 'failed',
			[exitCodes.failed]: 'failed',
			[exitCodes.usage]: 'usage',
			[exitCodes.interrupted]: 'interrupted',
		} as const;
		return {
			kind: kinds[error.exitCode],
			message: error.message,
			...(error.hint ? {hint: error.hint} : {}),
			...(error.runbookSection ? {runbookSection: error.runbookSection} : {}),
			exitCode: error.exitCode,
		};
	}

	return {
		kind: 'bug',
		message: error instanceof Error ? error.message : String(error),
		exitCode: exitCodes.failed,
	};
}
