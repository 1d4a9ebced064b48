import {UserError} from '../errors.js';
import type {GitHub} from './client.js';
import {asUserError, statusOf} from './errors.js';
import {fetchWorkflow, marker} from './files.js';
import {hookRecordVariable, readHookRecords} from './hook-records.js';
import {workflowPath} from './workflow.js';

/** Of `names`, the repository variables that exist. */
export async function presentVariables(
	gh: GitHub,
	names: readonly string[],
): Promise<string[]> {
	const variables = await gh.api.paginate(gh.api.actions.listRepoVariables, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 30,
	});
	const wanted = new Set(names);
	return variables
		.map(variable => variable.name)
		.filter(name => wanted.has(name));
}

/** Of `names`, the repository secrets that exist. */
export async function presentSecrets(
	gh: GitHub,
	names: readonly string[],
): Promise<string[]> {
	const secrets = await gh.api.paginate(gh.api.actions.listRepoSecrets, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 30,
	});
	const wanted = new Set(names);
	return secrets.map(secret => secret.name).filter(name => wanted.has(name));
}

/** A delete that finds nothing is done already: uninstall runs again without failing. */
async function deleted(what: string, remove: () => Promise<unknown>) {
	try {
		await remove();
	} catch (error) {
		if (statusOf(error) !== 404) {
			throw asUserError(error, `Removing ${what}`);
		}
	}
}

export async function deleteVariables(
	gh: GitHub,
	names: readonly string[],
): Promise<void> {
	for (const name of names) {
		// eslint-disable-next-line no-await-in-loop -- one write at a time
		await deleted(`variable ${name}`, async () =>
			gh.api.actions.deleteRepoVariable({owner: gh.owner, repo: gh.repo, name}),
		);
	}
}

export async function deleteSecrets(
	gh: GitHub,
	names: readonly string[],
): Promise<void> {
	for (const name of names) {
		// eslint-disable-next-line no-await-in-loop -- one write at a time
		await deleted(`secret ${name}`, async () =>
			gh.api.actions.deleteRepoSecret({
				owner: gh.owner,
				repo: gh.repo,
				secret_name: name,
			}),
		);
	}
}

/** The hooks this installation made (its record says which), by repository. */
export async function ourHooks(
	gh: GitHub,
): Promise<Array<{id: number; url: string}>> {
	const records = await readHookRecords(gh);
	return Object.values(records.byRepo);
}

/** Deletes the recorded hooks of the repository, then the record (and the secret digests). */
export async function deleteHooks(gh: GitHub): Promise<void> {
	for (const hook of await ourHooks(gh)) {
		// eslint-disable-next-line no-await-in-loop -- one write at a time
		await deleted(`webhook ${hook.id}`, async () =>
			gh.api.repos.deleteWebhook({
				owner: gh.owner,
				repo: gh.repo,
				hook_id: hook.id,
			}),
		);
	}

	await deleteVariables(gh, [hookRecordVariable]);
}

/** The workflow file on `branch`: its blob sha, and whether the installer wrote it (its marker line). */
export async function workflowFile(
	gh: GitHub,
	branch: string,
): Promise<{sha: string; ours: boolean} | undefined> {
	try {
		const file = await fetchWorkflow(gh, branch);
		return file === undefined || file === 'folder'
			? undefined
			: {sha: file.sha, ours: file.text.startsWith(marker)};
	} catch (error) {
		throw asUserError(error, `Reading ${workflowPath}`);
	}
}

/**
 * Deletes the workflow file the installer wrote from `branch` (a commit; the file stays in the
 * history). A file without the installer's marker is someone else's and stays; one already gone
 * is done. A branch that takes pull requests only refuses the commit (409).
 */
export async function deleteWorkflow(
	gh: GitHub,
	{branch, version}: {branch: string; version: string},
): Promise<void> {
	const file = await workflowFile(gh, branch);
	if (!file?.ours) {
		return;
	}

	try {
		await deleted(workflowPath, async () =>
			gh.api.repos.deleteFile({
				owner: gh.owner,
				repo: gh.repo,
				path: workflowPath,
				branch,
				sha: file.sha,
				message: `ci: remove ai_staging_deploy workflow (codex-k8s-install ${version} uninstall)`,
			}),
		);
	} catch (error) {
		if (statusOf(error) === 409) {
			throw new UserError(
				`${branch} refused the commit that deletes ${workflowPath}`,
				{
					hint: `The branch takes changes through pull requests only (or the file changed meanwhile): delete ${workflowPath} in a pull request, then run uninstall again.`,
				},
			);
		}

		throw error;
	}
}

export {digestVariable} from './secrets.js';
export {hookRecordVariable} from './hook-records.js';
