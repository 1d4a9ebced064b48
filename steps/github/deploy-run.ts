import {UserError} from '../../source/engine/errors.js';
import type {Step} from '../../source/engine/step.js';
import {githubOf} from '../../source/github/context.js';
import {dispatchAndFollow, scaleSetRunners} from '../../source/github/runs.js';

/** Verify phase: the scale-set runner is online in GitHub. Needs the runner phase (not built yet). */
export const runnerOnline: Step = {
	id: 'verify.runner-online',
	phase: 'verify',
	title: 'Runner online in GitHub',
	reach: 'github',
	describe: input => [
		`a runner of scale set ${input.runner.scaleSetName} is online for the repository`,
	],
	async check(context) {
		const state = await scaleSetRunners(
			githubOf(context),
			context.input.runner.scaleSetName,
		);
		return state.online
			? {kind: 'done', note: state.names.join(', ')}
			: {
					kind: 'blocked',
					problem: `no online runner of scale set ${context.input.runner.scaleSetName}${state.names.length > 0 ? ` (${state.names.join(', ')})` : ''}`,
					hint: 'ARC starts listening once the runner phase is done; check the listener pod in the runner namespace.',
				};
	},
};

/** Verify phase: dispatch the deploy workflow and follow it to green. */
export const deployRun: Step = {
	id: 'verify.deploy-run',
	phase: 'verify',
	title: 'Deploy workflow run',
	reach: 'github',
	checkOnce: true,
	describe: input => [
		`starts ai_staging_deploy on ${input.platform.baseBranch} and follows it to its conclusion`,
	],
	async check() {
		return {
			kind: 'new',
			changes: ['dispatch the deploy workflow and follow the run'],
		};
	},
	async apply(context) {
		const outcome = await dispatchAndFollow(
			githubOf(context),
			context.input.platform.baseBranch,
			{onProgress: context.output, signal: context.signal},
		);
		context.output(`run ${outcome.url}: ${outcome.conclusion}`);
		if (outcome.conclusion !== 'success') {
			throw new UserError(
				`The deploy run ended ${outcome.conclusion}: ${outcome.url}`,
				{hint: outcome.jobs.join('\n')},
			);
		}
	},
};
