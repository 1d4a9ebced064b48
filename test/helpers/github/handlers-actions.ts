/* eslint-disable @typescript-eslint/no-unsafe-member-access */
// Request bodies reach a handler only after they validated against the OpenAPI description.
import {type Call, type Handler, notFound, repoUrl} from './handlers.js';
import {advance, jobsOf, viewOf} from './runs.js';
import {type Run, sha} from './state.js';

/** Runners, workflows, runs and jobs. */

function workflows(call: Call): Array<{id: number; path: string}> {
	return [...call.state.files.keys()]
		.filter(path => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(path))
		.map(path => ({id: Number.parseInt(sha(path).slice(0, 6), 16), path}));
}

function findRun(call: Call): Run | undefined {
	return call.state.runs.find(
		item => item.id === Number(call.params['run_id']),
	);
}

function runBody(call: Call, run: Run): Record<string, unknown> {
	const {status, conclusion} = viewOf(run);
	return {
		...call.api.example('workflow-run'),
		id: run.id,
		workflow_id: run.workflowId,
		event: run.event,
		head_branch: run.branch,
		head_sha: run.headSha,
		status,
		conclusion,
		created_at: run.createdAt,
		html_url: `https://github.com/${call.state.owner}/${call.state.name}/actions/runs/${run.id}`,
		url: `${repoUrl(call)}/actions/runs/${run.id}`,
	};
}

export const actionHandlers: Record<string, Handler> = {
	'actions/list-self-hosted-runners-for-repo': call => ({
		status: 200,
		body: {
			total_count: call.state.runners.length,
			runners: call.state.runners.map(runner => ({
				id: runner.id,
				name: runner.name,
				os: 'linux',
				status: runner.status,
				busy: runner.busy,
				labels: runner.labels.map((name, index) => ({
					id: index + 1,
					name,
					type: 'read-only',
				})),
			})),
		},
	}),
	'actions/list-repo-workflows'(call) {
		const base = (
			call.api.example('workflow-paginated') as {
				workflows: Array<Record<string, unknown>>;
			}
		).workflows[0]!;
		const list = workflows(call).map(item => ({
			...base,
			id: item.id,
			path: item.path,
			state: 'active',
		}));
		return {status: 200, body: {total_count: list.length, workflows: list}};
	},
	'actions/create-workflow-dispatch'(call) {
		const id = call.params['workflow_id']!;
		const workflow = workflows(call).find(
			item => String(item.id) === id || item.path.endsWith(`/${id}`),
		);
		if (!workflow) {
			return notFound();
		}

		call.state.runs.push({
			id: call.state.nextId++,
			workflowId: workflow.id,
			event: 'workflow_dispatch',
			branch: String(call.body.ref),
			headSha: call.state.branches.get(String(call.body.ref)) ?? sha('none'),
			jobs: jobsOf(call.state.files.get(workflow.path) ?? ''),
			stage: 0,
			conclusion: call.state.nextConclusion,
			createdAt: call.now,
		});
		return {status: 204};
	},
	'actions/list-workflow-runs'(call) {
		const id = call.params['workflow_id']!;
		const runs = call.state.runs
			.filter(run =>
				workflows(call).some(
					item =>
						item.id === run.workflowId &&
						(String(item.id) === id || item.path.endsWith(`/${id}`)),
				),
			)
			.toReversed()
			.map(run => runBody(call, run));
		return {status: 200, body: {total_count: runs.length, workflow_runs: runs}};
	},
	'actions/get-workflow-run'(call) {
		const run = findRun(call);
		if (!run) {
			return notFound();
		}

		advance(call.state, run);
		return {status: 200, body: runBody(call, run)};
	},
	'actions/list-jobs-for-workflow-run'(call) {
		const run = findRun(call);
		if (!run) {
			return notFound();
		}

		const base = (
			call.api.example('job-paginated') as {
				jobs: Array<Record<string, unknown>>;
			}
		).jobs[0]!;
		const jobs = viewOf(run).jobs.map((job, index) => ({
			...base,
			id: run.id * 10 + index,
			run_id: run.id,
			created_at: run.createdAt,
			...job,
		}));
		return {status: 200, body: {total_count: jobs.length, jobs}};
	},
};
