import {UserError} from '../../source/errors.js';
import type {Step} from '../../source/engine/step.js';
import {dispatchAndFollow, type RunOutcome} from '../../source/github/runs.js';
import {workflowFile} from '../../source/github/workflow.js';
import type {Pauses} from './runner-online.js';

/** The workflow's jobs, by the words of their names, and the command each runs. */
const commands: Array<[RegExp, string]> = [
	[/build/i, 'build'],
	[/deploy/i, 'deploy'],
	[/smoke/i, 'status'],
];

function ranIn({failed}: RunOutcome): string {
	const command = commands.find(([words]) =>
		words.test(failed?.job ?? ''),
	)?.[1];
	return command
		? `The job ran codex-k8s-install ${command} --in-cluster in the runner pod, with the deployer’s permissions: `
		: '';
}

function failureMessage({conclusion, failed, url}: RunOutcome): string {
	if (!failed) {
		return `The deploy run ended ${conclusion}: ${url}`;
	}

	const step = failed.step ? `, step "${failed.step}"` : '';
	return `The deploy run failed in job "${failed.job}"${step}: ${url}`;
}

/**
 * Dispatch the deploy workflow and follow it to green. Its deploy and smoke jobs run this
 * installer's `deploy --in-cluster`, so it needs the platform phase as well as a runner.
 */
export function deployRunStep(pauses: Pauses = {}): Step {
	return {
		id: 'verify.deploy-run',
		phase: 'verify',
		title: 'Deploy workflow run',
		reach: 'github',
		requires: ['platform', 'runner'],
		checkOnce: true,
		runbook: input => ({
			check: [
				`gh run list --repo ${input.github.repo ?? 'OWNER/REPO'} --workflow ${workflowFile} --limit 3`,
			],
			fix: [
				`gh workflow run ${workflowFile} --repo ${input.github.repo ?? 'OWNER/REPO'} --ref ${input.platform.baseBranch}; a run queued for long: see "Stuck runners" below`,
			],
		}),
		describe: input => [
			`starts ${workflowFile} on ${input.platform.baseBranch} and follows it to its conclusion`,
		],
		async check(context) {
			return {
				kind: 'new',
				changes: [
					`dispatch ${workflowFile} on ${context.input.platform.baseBranch} and follow the run`,
				],
			};
		},
		async apply(context) {
			const {platform, timeouts} = context.input;
			const outcome = await dispatchAndFollow(
				context.github(),
				platform.baseBranch,
				{
					...pauses,
					timeoutMs: timeouts.deployRun * 1000,
					signal: context.signal,
					onProgress: context.output,
				},
			);
			if (outcome.conclusion !== 'success') {
				throw new UserError(failureMessage(outcome), {
					hint: [
						...outcome.jobs,
						`${ranIn(outcome)}its log at ${outcome.url} says why.`,
						'Fix what it names, then run `install --only verify` again (or push to the branch).',
					].join('\n'),
				});
			}

			return `run ${outcome.url}: ${outcome.conclusion}`;
		},
	};
}

export const deployRun = deployRunStep();
