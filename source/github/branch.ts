import type {GitHub} from './client.js';
import {answered} from './errors.js';

/** Ruleset rules that refuse a commit made straight to the branch. */
const refusingRules = new Set([
	'pull_request',
	'update',
	'required_status_checks',
]);

/**
 * Whether a commit to `branch` must come as a pull request. Classic protection shows as
 * `protected`; a ruleset shows there on some repositories and not on others, so its rules are
 * read too (`GET …/rules/branches/{branch}`, Metadata read). A server without rulesets (older
 * GitHub Enterprise) answers 404: then only `protected` counts, and a 409 on the write still
 * leads to a pull request.
 */
export async function takesPullRequestsOnly(
	{api, owner, repo}: GitHub,
	branch: string,
): Promise<boolean> {
	const {data} = await api.repos.getBranch({owner, repo, branch});
	if (data.protected) {
		return true;
	}

	try {
		const {data: rules} = await api.repos.getBranchRules({
			owner,
			repo,
			branch,
			per_page: 100,
		});
		return rules.some(rule => refusingRules.has(rule.type));
	} catch (error) {
		if (answered(error)) {
			return false;
		}

		throw error;
	}
}
