import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {parse} from 'yaml';
import type {Kube} from '../../../source/kube/index.js';
import {workflowPath} from '../../../source/github/workflow.js';
import {type CliResult, runCliAsync} from '../cli.js';
import type {PlannedJob} from './runs.js';
import type {RepoState, Run} from './state.js';

/*
Plays a deploy run's jobs the way the runner pod would: for each `run:` step of the job in the
repository's workflow file that calls codex-k8s-install, the built CLI runs that command with the
workflow's `env:` (its `${{ github.repository }}` and `${{ vars.NAME }}` filled in as GitHub fills
them: an unset variable is an empty string), GITHUB_SHA of the run, and a token minted for the
service account the scale set's runner pods really run as — so the API server's RBAC decides, as
for the real runner. What it does not play: the `uses:` steps (setup-node) and the `npx` fetch of
the published package; the built CLI stands in for both.
*/

type WorkflowFile = {
	env?: Record<string, string>;
	jobs?: Record<
		string,
		{name?: string; steps?: Array<{name?: string; run?: string}>}
	>;
};

type RunnerSet = {
	metadata: {namespace: string};
	spec: {
		runnerScaleSetName?: string;
		template: {spec: {serviceAccountName?: string}};
	};
};

/** One command the player ran, for the test to judge. */
export type PlayedCommand = CliResult & {job: string; args: string[]};

export type PodView = {
	/** The API as a pod sees its Service: host and port. */
	host: string;
	port: number;
	ca: () => Promise<string>;
};

function filled(value: string, repo: RepoState): string {
	return value.replaceAll(/\$\{\{\s*([\w.]+)\s*\}\}/gv, (_, name: string) => {
		if (name === 'github.repository') {
			return `${repo.owner}/${repo.name}`;
		}

		const variable = /^vars\.(\w+)$/v.exec(name)?.[1];
		if (variable !== undefined) {
			return repo.variables.get(variable)?.value ?? '';
		}

		throw new Error(`the player does not know \${{ ${name} }}`);
	});
}

/** The installer's commands of one job: what follows `codex-k8s-install@VERSION`. */
export function installerCommands(workflow: string, jobName: string) {
	const parsed = parse(workflow) as WorkflowFile;
	const job = Object.values(parsed.jobs ?? {}).find(
		each => each.name === jobName,
	);
	return (job?.steps ?? []).flatMap(step => {
		const words = /codex-k8s-install@\S+\s+(.+)$/v.exec(step.run ?? '')?.[1];
		return words ? [words.trim().split(/\s+/v)] : [];
	});
}

/** The runner pods' service account, as the scale set's pod template names it. */
async function runnerAccount(admin: Kube, label: string) {
	const sets = await admin.read<{items: RunnerSet[]}>(
		'/apis/actions.github.com/v1alpha1/autoscalingrunnersets',
	);
	const set = sets?.items.find(each => each.spec.runnerScaleSetName === label);
	const name = set?.spec.template.spec.serviceAccountName;
	if (!set || !name) {
		throw new Error(`no scale set ${label} with a service account`);
	}

	return {namespace: set.metadata.namespace, name};
}

/** A pod's service-account directory: a token minted for the account, and the API's CA. */
async function mountedAccount(
	admin: Kube,
	account: {namespace: string; name: string},
	ca: string,
) {
	const minted = await admin.request<{status: {token: string}}>(
		'POST',
		`/api/v1/namespaces/${account.namespace}/serviceaccounts/${account.name}/token`,
		{
			body: {
				apiVersion: 'authentication.k8s.io/v1',
				kind: 'TokenRequest',
				spec: {expirationSeconds: 3600},
			},
		},
	);
	const directory = mkdtempSync(join(tmpdir(), 'runner-pod-'));
	writeFileSync(join(directory, 'token'), minted.status.token, {mode: 0o600});
	writeFileSync(join(directory, 'ca.crt'), ca);
	return directory;
}

/** Sets the repository's job player to the built CLI; the list fills as commands run. */
export function playJobsWithBuiltCli(
	repo: RepoState,
	admin: Kube,
	pod: PodView,
): PlayedCommand[] {
	const played: PlayedCommand[] = [];
	repo.jobPlayer = async (job: PlannedJob, run: Run) => {
		const workflow = repo.files.get(workflowPath) ?? '';
		const environment = Object.fromEntries(
			Object.entries((parse(workflow) as WorkflowFile).env ?? {}).map(
				([name, value]) => [name, filled(String(value), repo)],
			),
		);
		const account = await runnerAccount(admin, job.runsOn);
		const directory = await mountedAccount(admin, account, await pod.ca());
		for (const args of installerCommands(workflow, job.name)) {
			// eslint-disable-next-line no-await-in-loop -- a job's steps run in order
			const result = await runCliAsync(args, {
				env: {
					...environment,
					GITHUB_ACTIONS: 'true',
					GITHUB_REPOSITORY: `${repo.owner}/${repo.name}`,
					GITHUB_SHA: run.headSha,
					KUBERNETES_SERVICE_HOST: pod.host,
					KUBERNETES_SERVICE_PORT: String(pod.port),
					CODEXK8S_SERVICE_ACCOUNT_DIR: directory,
				},
			});
			played.push({job: job.name, args, ...result});
			if (result.code !== 0) {
				return false;
			}
		}

		return true;
	};

	return played;
}
