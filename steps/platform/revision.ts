import type {Input} from '../../source/config/schema.js';
import type {StepContext} from '../../source/engine/step.js';
import {webUrl} from '../../source/github/client.js';
import {asUserError} from '../../source/github/errors.js';

const fullSha = /^[\da-f]{40}$/v;

/**
 * The commit of the platform repository this run builds and deploys: `CODEXK8S_BUILD_REF` when it
 * is a commit (the deploy workflow passes its own), else the head of that branch (default: the
 * base branch), asked from GitHub.
 */
export async function revisionOf(context: StepContext): Promise<string> {
	const {platform} = context.input;
	const ref = platform.buildRef ?? platform.baseBranch;
	if (fullSha.test(ref)) {
		return ref;
	}

	const gh = context.github();
	try {
		const {data} = await gh.api.repos.getBranch({
			owner: gh.owner,
			repo: gh.repo,
			branch: ref,
		});
		return data.commit.sha;
	} catch (error) {
		throw asUserError(
			error,
			`Reading the head of branch ${ref} in ${gh.owner}/${gh.repo}`,
		);
	}
}

/** `https://github.com/owner/repo.git`, or the Enterprise server's, from the API URL. */
export const cloneUrlOf = (input: Input): string =>
	`${webUrl(input.github.apiUrl, input.github.repo ?? 'unknown/unknown')}.git`;
