/* eslint-disable @typescript-eslint/no-unsafe-member-access */
// Request bodies reach a handler only after they validated against the OpenAPI description.
import {type Call, type Handler, notFound} from './handlers.js';
import {deliver} from './deliveries.js';
import {advance, jobsOf, viewOf} from './runs.js';
import {type Run, sha, type StoredHook} from './state.js';

/** Webhooks and deliveries, runners, workflows, runs and jobs. */

function repoUrl(call: Call): string {
	return `${call.base}/repos/${call.state.owner}/${call.state.name}`;
}

function hookBody(call: Call, hook: StoredHook): Record<string, unknown> {
	const url = `${repoUrl(call)}/hooks/${hook.id}`;
	const config: Record<string, string> = {
		url: hook.config.url,
		content_type: hook.config.content_type,
		insecure_ssl: hook.config.insecure_ssl,
	};
	if (hook.config.secret !== undefined) {
		config['secret'] = '********';
	}

	const last = call.state.deliveries.findLast(
		delivery => delivery.hookId === hook.id,
	);
	return {
		...call.api.example('hook'),
		id: hook.id,
		name: 'web',
		active: hook.active,
		events: hook.events,
		config,
		created_at: hook.createdAt,
		updated_at: hook.updatedAt,
		url,
		test_url: `${url}/test`,
		ping_url: `${url}/pings`,
		deliveries_url: `${url}/deliveries`,
		last_response: last
			? {
					code: last.statusCode,
					status: last.statusCode < 300 ? 'active' : 'failed',
					message: null,
				}
			: {code: null, status: 'unused', message: null},
	};
}

function findHook(call: Call): StoredHook | undefined {
	return call.state.hooks.find(
		hook => hook.id === Number(call.params['hook_id']),
	);
}

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
	'repos/list-webhooks': call => ({
		status: 200,
		body: call.state.hooks.map(hook => hookBody(call, hook)),
	}),
	'repos/create-webhook'(call) {
		const config = call.body.config as StoredHook['config'];
		const hook: StoredHook = {
			id: call.state.nextId++,
			active: (call.body.active as boolean | undefined) ?? true,
			events: (call.body.events as string[] | undefined) ?? ['push'],
			config: {
				url: config.url,
				content_type: config.content_type ?? 'form',
				insecure_ssl: String(config.insecure_ssl ?? '0'),
				secret: config.secret,
			},
			createdAt: call.now,
			updatedAt: call.now,
		};
		call.state.hooks.push(hook);
		return {status: 201, body: hookBody(call, hook)};
	},
	'repos/update-webhook'(call) {
		const hook = findHook(call);
		if (!hook) {
			return notFound();
		}

		const config = call.body.config as
			Partial<StoredHook['config']> | undefined;
		if (config) {
			hook.config = {
				...hook.config,
				...config,
				insecure_ssl: String(config.insecure_ssl ?? hook.config.insecure_ssl),
			};
		}

		hook.events = (call.body.events as string[] | undefined) ?? hook.events;
		hook.active = (call.body.active as boolean | undefined) ?? hook.active;
		hook.updatedAt = call.now;
		return {status: 200, body: hookBody(call, hook)};
	},
	'repos/delete-webhook'(call) {
		const hook = findHook(call);
		if (!hook) {
			return notFound();
		}

		call.state.hooks = call.state.hooks.filter(item => item !== hook);
		return {status: 204};
	},
	'repos/ping-webhook'(call) {
		const hook = findHook(call);
		if (!hook) {
			return notFound();
		}

		// GitHub answers at once and delivers afterwards.
		void deliver(call.state, hook, 'ping', {
			zen: 'Keep it logically awesome.',
			hook_id: hook.id,
		});
		return {status: 204};
	},
	'repos/list-webhook-deliveries'(call) {
		const hookId = Number(call.params['hook_id']);
		const base = (
			call.api.example('hook-delivery-items') as unknown as Array<
				Record<string, unknown>
			>
		)[0]!;
		return {
			status: 200,
			body: call.state.deliveries
				.filter(delivery => delivery.hookId === hookId)
				.toReversed()
				.map(delivery => ({
					...base,
					id: delivery.id,
					event: delivery.event,
					action: null,
					status_code: delivery.statusCode,
					status:
						delivery.statusCode === 0
							? 'failed to connect to host'
							: delivery.statusCode < 300
								? 'OK'
								: 'Invalid HTTP Response: ' + String(delivery.statusCode),
					delivered_at: delivery.deliveredAt,
					redelivery: false,
				})),
		};
	},
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
