import {UserError} from '../../source/errors.js';
import type {Step} from '../../source/engine/step.js';
import {scaleSetRunners, waitForRunner} from '../../source/github/runs.js';
import {runnerSizing} from '../kit.js';

/** Polling pauses; tests shorten them. */
export type Pauses = {delayMs?: number; maxDelayMs?: number};

const listed = (names: string[]) =>
	names.length > 0 ? ` (${names.join(', ')})` : '';

/**
 * The scale set's runner is online in GitHub. ARC registers it once its listener runs, which
 * takes a while after the runner phase, so a run that installs the runner waits for it; a run
 * that does not (`--only verify`) reports it missing.
 */
export function runnerOnlineStep(pauses: Pauses = {}): Step {
	return {
		id: 'verify.runner-online',
		phase: 'verify',
		title: 'Runner online in GitHub',
		reach: 'github',
		requires: ['runner'],
		runbook: input => ({
			check: [
				`gh api repos/${input.github.repo ?? 'OWNER/REPO'}/actions/runners --jq '.runners[] | [.name, .status] | @tsv'`,
				`kubectl -n ${input.runner.namespace} get pods   (the listener and runner pods of ${input.runner.scaleSetName})`,
			],
			fix: ['see "Stuck runners" below'],
		}),
		describe: input => [
			`a runner of scale set ${input.runner.scaleSetName} is online for the repository`,
		],
		async check(context) {
			const {scaleSetName} = context.input.runner;
			const state = await scaleSetRunners(context.github(), scaleSetName);
			if (state.online) {
				return {kind: 'done', note: state.names.join(', ')};
			}

			// ARC starts a runner only for a job: none is listed until the deploy run dispatches one.
			if (runnerSizing(context.input).minRunners === 0) {
				return {
					kind: 'done',
					note: 'no runner is listed while none is needed (minimum 0): the deploy run proves the scale set',
				};
			}

			return context.phases.includes('runner')
				? {
						kind: 'new',
						changes: [`wait for a runner of ${scaleSetName} to come online`],
					}
				: {
						kind: 'blocked',
						problem: `no runner of scale set ${scaleSetName} is online${listed(state.names)}`,
						hint: 'Run the runner phase again (`install --only runner`), or see the listener pod in the runner namespace.',
					};
		},
		async apply(context) {
			const {runner, timeouts} = context.input;
			const state = await waitForRunner(context.github(), runner.scaleSetName, {
				...pauses,
				timeoutMs: timeouts.runner * 1000,
				signal: context.signal,
			});
			if (!state.online) {
				throw new UserError(
					`No runner of scale set ${runner.scaleSetName} came online in ${timeouts.runner} s${listed(state.names)}`,
					{
						hint: [
							`ARC's listener registers the runners with the token in Secret ${runner.namespace}/gha-runner-scale-set-secret. See why it did not:`,
							`  kubectl -n actions-runner-system logs -l actions.github.com/scale-set-name=${runner.scaleSetName}`,
							'A 401 or 403 there: the token expired or lacks Administration: Read and write (edit it at https://github.com/settings/personal-access-tokens).',
							'No listener pod at all: see the HelmChart kube-system/gha-rs-controller and the controller’s log.',
							'Then run `install --only runner,verify`; finished work is kept.',
						].join('\n'),
					},
				);
			}

			return state.names.join(', ');
		},
	};
}

export const runnerOnline = runnerOnlineStep();
