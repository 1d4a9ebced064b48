import type {Input, Phase} from '../config/schema.js';
import {NotThereYetError, UserError} from '../errors.js';
import type {ProbeSet} from './host.js';
import type {Reach, StepContext} from './step.js';

/**
 * What a smoke check found:
 * - `ok`: what it proves holds.
 * - `failed`: it does not; `detail` says what is wrong.
 * - `absent`: what it looks at was never installed here (the phase did not run); a failure only
 *   when the installation's record says the phase was installed.
 * - `skipped`: it cannot be looked at from here (no token given, inside the cluster).
 */
export type CheckStatus = 'ok' | 'failed' | 'absent' | 'skipped';

export type CheckOutcome = {
	status: CheckStatus;
	detail: string;
	/** Versions it read on the way (`k3s: v1.36.3+k3s1`), shown by `status`. */
	versions?: Record<string, string>;
};

/**
 * A smoke check: read-only, named after what it proves, pointing at the runbook section that
 * helps when it fails. `status` runs them from the laptop (over SSH and the GitHub API) and the
 * deploy workflow's smoke job inside the cluster (`status --in-cluster`): a check reaches the
 * cluster only through `kubeOf(context)`, never SSH.
 */
export type Check = {
	/** `<phase>.<name>`, stable: `--json` and the tests name it. */
	id: string;
	phase: Phase;
	title: string;
	/** What an `ok` proves, in one line. */
	proves: string;
	/** The runbook section to read on failure (a step id or a recovery title). */
	runbookSection: string;
	/** `local`: looked at from where `status` runs (the laptop, or the runner pod). */
	reach: Reach;
	when?: (input: Input) => boolean;
	/**
	 * The step whose completion means what this check looks at was installed (a missing part is
	 * then a failure); without it, any completed step of the check's phase does.
	 */
	installedBy?: string;
	/** The host facts it reads: `status` sends every check's in one round trip. */
	probes?: (input: Input) => ProbeSet;
	run: (context: StepContext) => Promise<CheckOutcome>;
};

export type CheckResult = CheckOutcome & {
	id: string;
	phase: Phase;
	title: string;
	proves: string;
	runbookSection: string;
};

/** One check, its expected failures turned into outcomes: a cluster not running is `absent`. */
export async function runCheck(
	check: Check,
	context: StepContext,
): Promise<CheckOutcome> {
	try {
		return await check.run(context);
	} catch (error) {
		if (error instanceof NotThereYetError) {
			return {status: 'absent', detail: error.message};
		}

		if (error instanceof UserError && !context.signal.aborted) {
			return {
				status: 'failed',
				detail: error.hint ? `${error.message} (${error.hint})` : error.message,
			};
		}

		throw error;
	}
}

/**
 * Runs every check at once (they only read) and judges `absent` against what was installed: a
 * phase this installation's record says it installed must be there.
 */
export async function runChecks(
	checks: readonly Check[],
	context: StepContext,
	installed: (check: Check) => boolean,
): Promise<CheckResult[]> {
	const sets = checks.flatMap(check =>
		check.probes ? [check.probes(context.input)] : [],
	);
	if (context.host && sets.length > 0) {
		await context.host.facts.sendAhead(sets, context.signal);
	}

	const outcomes = await Promise.all(
		checks.map(async check => runCheck(check, context)),
	);
	return checks.map((check, index) => {
		const outcome = outcomes[index]!;
		const missing = outcome.status === 'absent' && installed(check);
		return {
			id: check.id,
			phase: check.phase,
			title: check.title,
			proves: check.proves,
			runbookSection: check.runbookSection,
			...outcome,
			...(missing
				? {
						status: 'failed' as const,
						detail: `${outcome.detail}, although this installation made it`,
					}
				: {}),
		};
	});
}

/** All is well: nothing failed. */
export const allWell = (results: readonly CheckResult[]) =>
	results.every(result => result.status !== 'failed');
