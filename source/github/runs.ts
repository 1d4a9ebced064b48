import type {RestEndpointMethodTypes} from '@octokit/rest';
import {UserError} from '../errors.js';
import {poll, type PollOptions} from '../wait.js';
import type {GitHub} from './client.js';
import {
	acceptedPermissions,
	answered,
	asUserError,
	permissionWords,
	statusOf,
} from './errors.js';
import {workflowFile} from './workflow.js';

export type RunnerState = {online: boolean; names: string[]};

/** ARC scale-set runners carry the scale set name as their label. */
export async function scaleSetRunners(
	gh: GitHub,
	scaleSet: string,
): Promise<RunnerState> {
	let runners: Array<{
		name: string;
		status: string;
		labels: Array<{name: string}>;
	}>;
	try {
		runners = await gh.api.paginate(
			gh.api.actions.listSelfHostedRunnersForRepo,
			{owner: gh.owner, repo: gh.repo, per_page: 100},
		);
	} catch (error) {
		const status = statusOf(error);
		if (answered(error) && (status === 403 || status === 404)) {
			const accepted = acceptedPermissions(error);
			throw new UserError(
				`The GitHub token may not list the self-hosted runners of ${gh.owner}/${gh.repo} (${status}${accepted ? `: GitHub asks for ${permissionWords(accepted)}` : ''}); ARC registers the runner scale set with the same token`,
				{
					hint: 'Edit the token at https://github.com/settings/personal-access-tokens and add, under Repository permissions, Administration: Read and write; then run `install --only runner,verify`.',
				},
			);
		}

		throw asUserError(error, 'Reading the repository’s self-hosted runners');
	}

	const ours = runners.filter(runner =>
		runner.labels.some(label => label.name === scaleSet),
	);
	return {
		online: ours.some(runner => runner.status === 'online'),
		names: ours.map(runner => `${runner.name} (${runner.status})`),
	};
}

export type Polling = PollOptions & {
	onProgress?: (line: string) => void;
};

/** Waits for a runner of the scale set to be online; its names, or the last state when time ran out. */
export async function waitForRunner(
	gh: GitHub,
	scaleSet: string,
	polling: Polling,
): Promise<RunnerState> {
	let last: RunnerState = {online: false, names: []};
	await poll(async () => {
		last = await scaleSetRunners(gh, scaleSet);
		return last.online ? last : undefined;
	}, polling);
	return last;
}

export type RunOutcome = {
	id: number;
	url: string;
	conclusion: string;
	jobs: string[];
	/** The first job that failed, and its failed step when GitHub names one. */
	failed?: {job: string; step?: string};
};

type Job =
	RestEndpointMethodTypes['actions']['listJobsForWorkflowRun']['response']['data']['jobs'][number];

/** `build: success, deploy: in_progress (Deploy to the cluster), smoke: queued` */
export function jobsLine(jobs: readonly Job[]): string {
	return jobs
		.map(job => {
			const step = job.steps?.find(item => item.status === 'in_progress');
			return `${job.name}: ${job.conclusion ?? job.status}${step ? ` (${step.name})` : ''}`;
		})
		.join(', ');
}

const failing = new Set(['failure', 'timed_out', 'cancelled']);

function failedJob(jobs: readonly Job[]): RunOutcome['failed'] {
	const job = jobs.find(item => failing.has(item.conclusion ?? ''));
	if (!job) {
		return undefined;
	}

	const step = job.steps?.find(item => failing.has(item.conclusion ?? ''));
	return {job: job.name, step: step?.name};
}

/** Dispatches the deploy workflow on `branch` and follows the run it started to its conclusion. */
export async function dispatchAndFollow(
	gh: GitHub,
	branch: string,
	polling: Polling,
): Promise<RunOutcome> {
	const {api, owner, repo} = gh;
	const runsQuery = {
		owner,
		repo,
		workflow_id: workflowFile,
		event: 'workflow_dispatch',
		per_page: 20,
	};
	const {data: previous} = await api.actions.listWorkflowRuns(runsQuery);
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

	let runId: number | undefined;
	let status = 'not started';
	let lastLine = '';
	const outcome = await poll(async (): Promise<RunOutcome | undefined> => {
		if (runId === undefined) {
			const {data} = await api.actions.listWorkflowRuns(runsQuery);
			runId = data.workflow_runs.find(run => !before.has(run.id))?.id;
			if (runId === undefined) {
				return undefined;
			}
		}

		const [{data: run}, {data: jobs}] = await Promise.all([
			api.actions.getWorkflowRun({owner, repo, run_id: runId}),
			api.actions.listJobsForWorkflowRun({owner, repo, run_id: runId}),
		]);
		status = run.status ?? status;
		const line = `run ${run.id} ${run.status}: ${jobsLine(jobs.jobs)}`;
		if (line !== lastLine) {
			polling.onProgress?.(line);
			lastLine = line;
		}

		return run.status === 'completed'
			? {
					id: run.id,
					url: run.html_url,
					conclusion: run.conclusion ?? 'unknown',
					jobs: jobs.jobs.map(
						job => `${job.name}: ${job.conclusion ?? job.status}`,
					),
					failed: failedJob(jobs.jobs),
				}
			: undefined;
	}, polling);
	if (outcome) {
		return outcome;
	}

	throw new UserError(
		`The deploy run${runId ? ` ${runId}` : ''} did not finish in time (last seen: ${status})`,
		{
			hint:
				status === 'queued'
					? 'No runner picked it up: see Settings → Actions → Runners of the repository, and its Actions tab.'
					: 'It goes on in GitHub: see the repository’s Actions tab.',
		},
	);
}

export type LastRun =
	| {kind: 'no-workflow' | 'no-run'}
	| {
			kind: 'run';
			id: number;
			url: string;
			/** `success`, `failure` …; absent while it runs. */
			conclusion?: string;
			status: string;
			/** A newer run still going, when the last finished one is reported. */
			running?: number;
	  };

/** The deploy workflow's last finished run (and a newer one that still runs, if any). */
export async function lastDeployRun(gh: GitHub): Promise<LastRun> {
	let runs;
	try {
		({
			data: {workflow_runs: runs},
		} = await gh.api.actions.listWorkflowRuns({
			owner: gh.owner,
			repo: gh.repo,
			workflow_id: workflowFile,
			per_page: 10,
		}));
	} catch (error) {
		if (statusOf(error) === 404) {
			return {kind: 'no-workflow'};
		}

		throw asUserError(error, 'Reading the deploy workflow’s runs');
	}

	const finished = runs.find(run => run.status === 'completed');
	const newest = runs[0];
	if (!newest) {
		return {kind: 'no-run'};
	}

	const shown = finished ?? newest;
	return {
		kind: 'run',
		id: shown.id,
		url: shown.html_url,
		conclusion: shown.conclusion ?? undefined,
		status: shown.status ?? 'unknown',
		...(newest.status === 'completed' || newest === shown
			? {}
			: {running: newest.id}),
	};
}
