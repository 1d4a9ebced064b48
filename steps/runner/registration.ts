import {Buffer} from 'node:buffer';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {slugOf} from '../../source/github/client.js';
import {
	acceptedPermissions,
	answered,
	asUserError,
	permissionWords,
	statusOf,
} from '../../source/github/errors.js';

export const tokenSettings =
	'https://github.com/settings/personal-access-tokens';

/**
 * Whether the token may manage the repository's self-hosted runners, read-only: ARC's listener
 * registers the scale set with it, and without Administration it only crash-loops in the
 * cluster with GitHub's 403 in its log. GitHub offers no read-only test for the write it also
 * needs; the listener's first registration proves that.
 */
export async function registrationProblem(
	context: StepContext,
): Promise<Finding | undefined> {
	const gh = context.github();
	try {
		await gh.api.actions.listSelfHostedRunnersForRepo({
			owner: gh.owner,
			repo: gh.repo,
			per_page: 1,
		});
		return undefined;
	} catch (error) {
		const status = statusOf(error);
		if (!answered(error) || (status !== 403 && status !== 404)) {
			throw asUserError(error, 'Reading the repository’s self-hosted runners');
		}

		const accepted = acceptedPermissions(error);
		return {
			kind: 'blocked',
			problem: `the GitHub token may not manage the self-hosted runners of ${slugOf(gh)} (${status}${accepted ? `: GitHub asks for ${permissionWords(accepted)}` : ''}), so ARC could not register the runner scale set`,
			hint: [
				`Edit the token at ${tokenSettings} and add, under Repository permissions:`,
				'  Administration: Read and write — ARC registers the runner scale set with this token',
				'Then run the install again (`install --only runner,verify` is enough); finished work is kept.',
			].join('\n'),
		};
	}
}

/** A step whose check first asks `precheck`; a finding from it (blocked) stands in for the check. */
export function checkedFirst(
	step: Step,
	precheck: (context: StepContext) => Promise<Finding | undefined>,
): Step {
	return {
		...step,
		async check(context) {
			return (await precheck(context)) ?? step.check(context);
		},
	};
}

export const base64 = (text: string) => Buffer.from(text).toString('base64');
