import {UserError} from '../engine/errors.js';
import type {GitHub} from './client.js';
import {asUserError} from './errors.js';
import {workflowFile} from './workflow.js';

export type RunnerState = {online: boolean; names: string[]};

/** ARC scale-set runners carry the scale set name as their label. */
export async function scaleSetRunners(
	gh: GitHub,
	scaleSet: string,
): Promise<RunnerState> {
	const runners = await gh.api.paginate(
		gh.api.actions.listSelfHostedRunnersForRepo,
		{
			owner: gh.owner,
			repo: gh.repo,
			per_page: 100,
		},
	);
	const ours = runners.filter(runner =>
		runner.labels.some(label => label.name === scaleSet),
	);
	return {
		online: ours.some(runner => runner.status === 'online'),
		names: ours.map(runner => `${runner.name} (${runner.status})`),
	};
}

export type RunOutcome = {
	id: number;
	url: string;
	conclusion: string;
	jobs: string[];
};

export type FollowOptions = {
	/** First wait between polls; it doubles up to `maxDelayMs`. */
	delayMs?: number;
	maxDelayMs?: number;
	/** Give up after this long; the run goes on in GitHub. */
	timeoutMs?: number;
	onProgress?: (line: string) => void;
	signal?: AbortSignal;
};

async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const timer = setTimeout(resolve, ms);
		signal?.addEventListener(
			'abort',
			() => {
				clearTimeout(timer);
				reject(signal.reason as Error);
			},
			{once: true},
		);
	});
}

/** Dispatches the deploy workflow on `branch` and follows the run it started to its conclusion. */
export async function dispatchAndFollow(
	gh: GitHub,
	branch: string,
	options: FollowOptions = {},
): Promise<RunOutcome> {
	const {api, owner, repo} = gh;
	const started = Date.now();
	const {data: previous} = await api.actions.listWorkflowRuns({
		owner,
		repo,
		workflow_id: workflowFile,
		event: 'workflow_dispatch',
		per_page: 20,
	});
	const before = new Set(previous.workflow_runs.map(run => run.id));
	try {
		await api.actions.createWorkflowDispatch({
			owner,
			repo,
			workflow_id: workflowFile,
			ref: branch,
		});
	} catch (error) {
		throw asUserError(error, 'Starting the deploy workflow');
	}

	let delay = options.delayMs ?? 2000;
	const maxDelay = options.maxDelayMs ?? 30_000;
	const timeout = options.timeoutMs ?? 45 * 60_000;
	let runId: number | undefined;
	let lastLine = '';
	while (Date.now() - started < timeout) {
		if (runId === undefined) {
			// eslint-disable-next-line no-await-in-loop
			const {data} = await api.actions.listWorkflowRuns({
				owner,
				repo,
				workflow_id: workflowFile,
				event: 'workflow_dispatch',
				per_page: 20,
			});
			runId = data.workflow_runs.find(run => !before.has(run.id))?.id;
		}

		if (runId !== undefined) {
			// eslint-disable-next-line no-await-in-loop
			const {data: run} = await api.actions.getWorkflowRun({
				owner,
				repo,
				run_id: runId,
			});
			// eslint-disable-next-line no-await-in-loop
			const {data: jobs} = await api.actions.listJobsForWorkflowRun({
				owner,
				repo,
				run_id: runId,
			});
			const line = jobs.jobs
				.map(job => `${job.name}: ${job.conclusion ?? job.status}`)
				.join(', ');
			if (line !== lastLine) {
				options.onProgress?.(`run ${run.id} ${run.status}: ${line}`);
				lastLine = line;
			}

			if (run.status === 'completed') {
				return {
					id: run.id,
					url: run.html_url,
					conclusion: run.conclusion ?? 'unknown',
					jobs: jobs.jobs.map(
						job => `${job.name}: ${job.conclusion ?? job.status}`,
					),
				};
			}
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(delay, options.signal);
		delay = Math.min(delay * 2, maxDelay);
	}

	throw new UserError(
		`The deploy run${runId ? ` ${runId}` : ''} did not finish in time`,
		{hint: 'It goes on in GitHub: see the repository’s Actions tab.'},
	);
}
