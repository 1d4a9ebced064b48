import type {Input} from '../../source/config/schema.js';
import type {Check} from '../../source/engine/check.js';
import type {StepContext} from '../../source/engine/step.js';
import type {GitHub} from '../../source/github/client.js';
import {lastDeployRun, scaleSetRunners} from '../../source/github/runs.js';
import {workflowFile} from '../../source/github/workflow.js';

/** GitHub checks need the repository and a token; without them they say so, not fail. */
const withGitHub = (input: Input) =>
	Boolean(input.github.repo && input.github.token);

export async function gitHubOr(
	context: StepContext,
	look: (gh: GitHub) => ReturnType<Check['run']>,
): ReturnType<Check['run']> {
	return withGitHub(context.input)
		? look(context.github())
		: {
				status: 'skipped',
				detail: 'no repository or token given (--repo and the token)',
			};
}

export const runnerOnlineCheck: Check = {
	id: 'verify.runner-online',
	phase: 'runner',
	title: 'Runner online in GitHub',
	proves:
		'GitHub lists a runner of the scale set as online: deploy jobs get picked up',
	runbookSection: 'Stuck runners',
	reach: 'github',
	async run(context) {
		const {scaleSetName} = context.input.runner;
		return gitHubOr(context, async gh => {
			const state = await scaleSetRunners(gh, scaleSetName);
			if (state.names.length === 0) {
				return {
					status: 'absent',
					detail: `GitHub lists no runner of ${scaleSetName}`,
				};
			}

			return state.online
				? {status: 'ok', detail: state.names.join(', ')}
				: {
						status: 'failed',
						detail: `no runner of ${scaleSetName} is online: ${state.names.join(', ')}`,
					};
		});
	},
};

export const deployRunCheck: Check = {
	id: 'verify.deploy-run',
	phase: 'verify',
	title: `Last ${workflowFile} run green`,
	proves: 'the last finished deploy of staging succeeded',
	runbookSection: 'verify.deploy-run',
	installedBy: 'verify.deploy-run',
	reach: 'github',
	async run(context) {
		return gitHubOr(context, async gh => {
			const last = await lastDeployRun(gh);
			if (last.kind !== 'run') {
				return {
					status: 'absent',
					detail:
						last.kind === 'no-workflow'
							? `no ${workflowFile} in the repository`
							: `${workflowFile} has not run yet`,
				};
			}

			const running = last.running ? `; run ${last.running} is going` : '';
			if (last.status !== 'completed') {
				return {
					status: 'ok',
					detail: `run ${last.id} is ${last.status}: ${last.url}`,
				};
			}

			return last.conclusion === 'success'
				? {status: 'ok', detail: `run ${last.id} succeeded${running}`}
				: {
						status: 'failed',
						detail: `run ${last.id} ended ${last.conclusion ?? 'without a conclusion'}: ${last.url}${running}`,
					};
		});
	},
};

/** GitHub's side of the runner and the deploy loop. */
export const verifyChecks: readonly Check[] = [
	runnerOnlineCheck,
	deployRunCheck,
];
