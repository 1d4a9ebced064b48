import {Buffer} from 'node:buffer';
import type {Kube} from '../../../source/kube/index.js';
import {viewOf} from './runs.js';
import type {GitHubStandIn} from './server.js';
import type {RepoState, Runner} from './state.js';
import type {TokenSpec} from './tokens.js';

/*
Links the test cluster to the GitHub stand-in the way ARC links a cluster to GitHub: for every
AutoscalingRunnerSet whose Secret holds a token that may register runners (Administration write
on its repository), the stand-in lists runners under the scale set's name — one idle runner per
`minRunners`, and with `minRunners: 0` one only while a run of the repository waits for or runs
a job with that label. No listener or runner pod runs: the test cluster has no containers.
*/

type RunnerSet = {
	metadata: {name: string; namespace: string};
	spec: {
		githubConfigUrl: string;
		githubConfigSecret: string;
		runnerScaleSetName?: string;
		minRunners?: number;
	};
};

/** What ARC's listener would log for a scale set it cannot register. */
export type LinkProblem = {scaleSet: string; problem: string};

export type RunnerLink = {
	/** Scale sets that registered no runner, and why. */
	problems(): LinkProblem[];
	stop(): void;
};

function mayRegister(spec: TokenSpec | undefined, slug: string): boolean {
	if (!spec || spec.kind === 'expired') {
		return false;
	}

	if (spec.kind === 'classic') {
		return spec.scopes.includes('repo');
	}

	return (
		spec.permissions.administration === 'write' &&
		(spec.repos === undefined || spec.repos.includes(slug))
	);
}

/** Whether a run of the repository waits for, or runs, a job with this label. */
function jobWaitsFor(repo: RepoState, label: string): boolean {
	return repo.runs.some(run => {
		const view = viewOf(run);
		return (
			view.status !== 'completed' &&
			view.jobs.some(
				(job, index) =>
					job.status !== 'completed' && run.jobs[index]?.runsOn === label,
			)
		);
	});
}

const slugOf = (url: string) =>
	new URL(url).pathname.split('/').filter(Boolean).slice(-2).join('/');

async function wanted(
	kube: Kube,
	standIn: GitHubStandIn,
	problems: LinkProblem[],
): Promise<Map<RepoState, Runner[]>> {
	const sets = await kube.read<{items: RunnerSet[]}>(
		'/apis/actions.github.com/v1alpha1/autoscalingrunnersets',
	);
	const runners = new Map<RepoState, Runner[]>();
	for (const set of sets?.items ?? []) {
		const name = set.spec.runnerScaleSetName ?? set.metadata.name;
		const slug = slugOf(set.spec.githubConfigUrl);
		const repo = standIn.repos.get(slug);
		// eslint-disable-next-line no-await-in-loop -- a handful of scale sets
		const secret = await kube.read<{data?: Record<string, string>}>(
			`/api/v1/namespaces/${set.metadata.namespace}/secrets/${set.spec.githubConfigSecret}`,
		);
		const encoded = secret?.data?.['github_token'];
		const token = encoded
			? Buffer.from(encoded, 'base64').toString('utf8')
			: undefined;
		if (!repo) {
			problems.push({scaleSet: name, problem: `no repository ${slug}`});
			continue;
		}

		if (!token || !mayRegister(standIn.tokens.get(token), slug)) {
			problems.push({
				scaleSet: name,
				problem: `403 registering with ${slug}: the token lacks Administration (write)`,
			});
			continue;
		}

		const count = Math.max(
			set.spec.minRunners ?? 0,
			jobWaitsFor(repo, name) ? 1 : 0,
		);
		const list = runners.get(repo) ?? [];
		for (let index = 0; index < count; index++) {
			list.push({
				id: 0,
				name: `${name}-runner-${index + 1}`,
				status: 'online',
				busy: false,
				labels: [name],
			});
		}

		runners.set(repo, list);
	}

	return runners;
}

/** Keeps the stand-in's runners in step with the cluster's scale sets until stopped. */
export function linkRunners(
	kube: Kube,
	standIn: GitHubStandIn,
	{intervalMs = 100}: {intervalMs?: number} = {},
): RunnerLink {
	let problems: LinkProblem[] = [];
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;
	const ids = {next: 1};
	const sync = async () => {
		const found: LinkProblem[] = [];
		const runners = await wanted(kube, standIn, found);
		problems = found;
		for (const repo of standIn.repos.values()) {
			const list = runners.get(repo) ?? [];
			const kept = repo.runners.filter(runner =>
				list.some(item => item.name === runner.name),
			);
			const added = list
				.filter(item => !kept.some(runner => runner.name === item.name))
				.map(item => ({...item, id: ids.next++}));
			repo.runners = [...kept, ...added];
		}
	};

	const look = () => {
		sync()
			.catch(() => {
				// The cluster is starting or stopping: look again.
			})
			.finally(() => {
				if (!stopped) {
					timer = setTimeout(look, intervalMs);
				}
			});
	};

	look();
	return {
		problems: () => problems,
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
