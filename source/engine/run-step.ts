import {UserError} from '../errors.js';
import type {Finding, Step, StepContext, StepStatus} from './step.js';
import type {StepClock} from './timing.js';

export type StepRun = {status: StepStatus; finding: Finding; note?: string};

/**
 * Check (unless the plan did), then apply and verify what the check found, each timed on `clock`.
 * A blocked finding stops the run.
 */
export async function runStep(
	step: Step,
	context: StepContext,
	planned: Finding | undefined,
	{dryRun, clock}: {dryRun: boolean; clock: StepClock},
): Promise<StepRun> {
	const finding =
		planned && planned.kind !== 'unknown'
			? planned
			: await clock.time('check', async () => step.check(context));
	switch (finding.kind) {
		case 'blocked': {
			throw new UserError(`${step.title}: ${finding.problem}`, {
				hint: finding.hint,
			});
		}

		case 'skipped': {
			return {status: 'skipped', finding};
		}

		case 'done':
		case 'unknown': {
			return {status: 'done', finding};
		}

		case 'new':
		case 'change': {
			if (dryRun) {
				return {status: 'would-change', finding};
			}

			const {apply, verify} = step;
			if (!apply) {
				throw new Error(`step ${step.id} reported changes but has no apply`);
			}

			const note = await clock.time('apply', async () =>
				apply(context, finding),
			);
			if (verify) {
				await clock.time('verify', async () => verify(context));
			}

			return {status: 'changed', finding, ...(note ? {note} : {})};
		}
	}
}
