import {parse} from 'yaml';
import type {JobPlayer, RepoState, Run} from './state.js';

/*
How the stand-in plays a workflow run: the jobs and steps come from the workflow file in the
repository, and a job only moves while an online self-hosted runner carries its `runs-on` label
(as on GitHub, a run without a runner stays queued). Each read of the run moves it one job on.
*/

export type PlannedJob = {name: string; runsOn: string; steps: string[]};

type WorkflowJob = {
	name?: string;
	'runs-on'?: string;
	steps?: Array<{name?: string; uses?: string}>;
};

export function jobsOf(workflow: string): PlannedJob[] {
	const parsed = parse(workflow) as {jobs?: Record<string, WorkflowJob>};
	return Object.entries(parsed.jobs ?? {}).map(([key, job]) => ({
		name: job.name ?? key,
		runsOn: String(job['runs-on'] ?? ''),
		steps: (job.steps ?? []).map(
			(step, index) => step.name ?? step.uses ?? `step ${index + 1}`,
		),
	}));
}

const runnerFor = (state: RepoState, label: string) =>
	state.runners.some(
		runner => runner.status === 'online' && runner.labels.includes(label),
	);

/** Job index that fails, when the run is to fail: the deploy job, or the last one. */
function failingJob(run: Run): number {
	if (run.failedJob !== undefined) {
		return run.failedJob;
	}

	if (run.conclusion !== 'failure') {
		return -1;
	}

	const deploy = run.jobs.findIndex(job => /deploy/i.test(job.name));
	return deploy === -1 ? run.jobs.length - 1 : deploy;
}

/** Jobs done so far, including a failed one; the run is over when it reaches `end`. */
const endOf = (run: Run) =>
	failingJob(run) === -1 ? run.jobs.length : failingJob(run) + 1;

/** One read: the run moves on (starts the next job, or ends) when a runner for that job is online. */
export function advance(state: RepoState, run: Run): void {
	const player = state.jobPlayer;
	if (player && run.stage > 0 && run.stage <= run.jobs.length) {
		const ended = run.played?.[run.stage - 1];
		if (ended === undefined) {
			return;
		}

		if (ended === 'failure' && run.failedJob === undefined) {
			run.conclusion = 'failure';
			run.failedJob = run.stage - 1;
		}
	}

	const end = endOf(run);
	const job = run.jobs[Math.min(run.stage, end - 1)];
	if (run.stage <= end && job && runnerFor(state, job.runsOn)) {
		if (player && run.stage < end) {
			play(player, run, run.stage);
		}

		run.stage++;
	}
}

/** Starts job `index` with the player; its outcome is recorded when it ends. */
function play(player: JobPlayer, run: Run, index: number): void {
	const played = run.played ?? [];
	run.played = played;
	player(run.jobs[index]!, run).then(
		ok => {
			played[index] = ok ? 'success' : 'failure';
		},
		() => {
			played[index] = 'failure';
		},
	);
}

/** Jobs before `stage` have started; the last started one runs until the run is over. */
export function viewOf(run: Run) {
	const over = run.stage > endOf(run);
	const failing = failingJob(run);
	const jobs = run.jobs.map((job, index) => {
		const skipped = over && failing !== -1 && index > failing;
		const running = index === run.stage - 1 && !over;
		const status =
			skipped || index < run.stage - (over ? 0 : 1)
				? 'completed'
				: running
					? 'in_progress'
					: 'queued';
		const conclusion =
			status === 'completed'
				? skipped
					? 'skipped'
					: index === failing
						? 'failure'
						: 'success'
				: null;
		const steps = skipped
			? []
			: job.steps.map((name, number) => ({
					name,
					number: number + 1,
					status:
						status === 'completed'
							? ('completed' as const)
							: running && number === 0
								? ('in_progress' as const)
								: ('queued' as const),
					conclusion:
						status === 'completed'
							? index === failing && number === job.steps.length - 1
								? ('failure' as const)
								: ('success' as const)
							: null,
				}));
		return {name: job.name, status, conclusion, steps};
	});
	return {
		status: over ? 'completed' : run.stage === 0 ? 'queued' : 'in_progress',
		conclusion: over ? run.conclusion : null,
		jobs,
	};
}
