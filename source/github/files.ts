import {Buffer} from 'node:buffer';
import {takesPullRequestsOnly} from './branch.js';
import type {GitHub} from './client.js';
import {asUserError, statusOf} from './errors.js';
import {lineDiff, workflowPath} from './workflow.js';

/**
 * The workflow file in the repository. A file that differs from what we would write is either
 * ours from an older render (we wrote the marker line) or changed by someone: the latter is only
 * replaced when the operator allows it, and the plan shows the difference either way.
 */
export const marker = '# Written by codex-k8s-install';

export type FileState =
	| {kind: 'same'}
	| {kind: 'absent'}
	| {kind: 'differs'; sha: string; ours: boolean; diff: string[]};

/** The workflow file's text and blob sha on `branch`; undefined when absent, 'folder' when a folder is in its place. */
export async function fetchWorkflow(
	gh: GitHub,
	branch: string,
): Promise<{sha: string; text: string} | 'folder' | undefined> {
	try {
		const {data} = await gh.api.repos.getContent({
			owner: gh.owner,
			repo: gh.repo,
			path: workflowPath,
			ref: branch,
		});
		if (Array.isArray(data) || data.type !== 'file' || !('content' in data)) {
			return 'folder';
		}

		return {
			sha: data.sha,
			text: Buffer.from(data.content, 'base64').toString('utf8'),
		};
	} catch (error) {
		if (statusOf(error) === 404) {
			return undefined;
		}

		throw error;
	}
}

export async function readWorkflow(
	gh: GitHub,
	wanted: string,
	branch: string,
): Promise<FileState> {
	const file = await fetchWorkflow(gh, branch);
	if (file === undefined) {
		return {kind: 'absent'};
	}

	if (file === 'folder') {
		return {
			kind: 'differs',
			sha: '',
			ours: false,
			diff: ['(a folder is in the way)'],
		};
	}

	if (file.text === wanted) {
		return {kind: 'same'};
	}

	return {
		kind: 'differs',
		sha: file.sha,
		ours: file.text.startsWith(marker) && !locallyEdited(file.text),
		diff: lineDiff(file.text, wanted),
	};
}

/** Our render always ends with the smoke job's status line; an edit after it is a local change. */
function locallyEdited(text: string): boolean {
	return !text.endsWith('status --in-cluster\n');
}

/** The branch of the installer's pull request for a version of the workflow. */
export const pullBranch = (version: string) =>
	`codex-k8s-install/workflow-${version.replaceAll('.', '-')}`;

/**
 * The installer's open pull request for the workflow, and whether its branch already holds
 * `wanted`; undefined when there is none (or the token may not read pull requests).
 */
export async function openWorkflowPull(
	gh: GitHub,
	{wanted, version}: {wanted: string; version: string},
): Promise<{number: number; url: string; same: boolean} | undefined> {
	const head = pullBranch(version);
	try {
		const {data: pulls} = await gh.api.pulls.list({
			owner: gh.owner,
			repo: gh.repo,
			head: `${gh.owner}:${head}`,
			state: 'open',
		});
		const pull = pulls[0];
		if (!pull) {
			return undefined;
		}

		const state = await readWorkflow(gh, wanted, head);
		return {
			number: pull.number,
			url: pull.html_url,
			same: state.kind === 'same',
		};
	} catch (error) {
		if (statusOf(error) === 403 || statusOf(error) === 404) {
			return undefined;
		}

		throw error;
	}
}

export type WriteResult =
	{kind: 'committed'; sha: string} | {kind: 'pull-request'; url: string};

/**
 * The pull request's branch holds `content`: made from `from` when missing (a closed pull
 * request leaves its branch behind), updated when it holds an older render.
 */
async function putOnBranch(
	gh: GitHub,
	{
		head,
		from,
		content,
		message,
	}: {head: string; from: string; content: string; message: string},
): Promise<void> {
	const {api, owner, repo} = gh;
	try {
		await api.git.createRef({
			owner,
			repo,
			ref: `refs/heads/${head}`,
			sha: from,
		});
	} catch (error) {
		if (statusOf(error) !== 422) {
			throw error;
		}
	}

	const proposed = await readWorkflow(gh, content, head);
	if (proposed.kind === 'same') {
		return;
	}

	await api.repos.createOrUpdateFileContents({
		owner,
		repo,
		path: workflowPath,
		message,
		content: Buffer.from(content).toString('base64'),
		branch: head,
		...(proposed.kind === 'differs' && proposed.sha ? {sha: proposed.sha} : {}),
	});
}

/** Commits the file to `branch`, or, when the branch only takes pull requests, opens one. */
export async function writeWorkflow(
	gh: GitHub,
	{
		content,
		branch,
		previousSha,
		version,
	}: {content: string; branch: string; previousSha?: string; version: string},
): Promise<WriteResult> {
	const {api, owner, repo} = gh;
	const message = `ci: ${previousSha ? 'update' : 'add'} ai_staging_deploy workflow (codex-k8s-install ${version})`;
	const body = {
		owner,
		repo,
		path: workflowPath,
		message,
		content: Buffer.from(content).toString('base64'),
		...(previousSha ? {sha: previousSha} : {}),
	};
	try {
		if (!(await takesPullRequestsOnly(gh, branch))) {
			try {
				const {data} = await api.repos.createOrUpdateFileContents({
					...body,
					branch,
				});
				return {kind: 'committed', sha: data.commit.sha ?? ''};
			} catch (error) {
				// A rule the branch check could not see (no rules API on this server) answers 409: a
				// refusal, not a hiccup, so it is not retried and the pull request is the way.
				if (statusOf(error) !== 409) {
					throw error;
				}
			}
		}

		const head = pullBranch(version);
		const {data: base} = await api.git.getRef({
			owner,
			repo,
			ref: `heads/${branch}`,
		});
		await putOnBranch(gh, {head, from: base.object.sha, content, message});
		const existing = await api.pulls.list({
			owner,
			repo,
			head: `${owner}:${head}`,
			state: 'open',
		});
		if (existing.data[0]) {
			return {kind: 'pull-request', url: existing.data[0].html_url};
		}

		const {data: pull} = await api.pulls.create({
			owner,
			repo,
			head,
			base: branch,
			title: 'Add the AI staging deploy workflow',
			body: `${branch} only accepts pull requests, so codex-k8s-install ${version} proposes \`${workflowPath}\` here. Merge it to deploy staging on every push.`,
		});
		return {kind: 'pull-request', url: pull.html_url};
	} catch (error) {
		throw asUserError(error, `Writing ${workflowPath}`);
	}
}
