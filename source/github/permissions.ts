import type {Input} from '../config/schema.js';

/** Fine-grained repository permissions, spelled as GitHub spells them in `X-Accepted-GitHub-Permissions`. */
export type Permission =
	| 'metadata'
	| 'contents'
	| 'workflows'
	| 'secrets'
	| 'actions_variables'
	| 'repository_hooks'
	| 'issues'
	| 'administration'
	| 'actions'
	| 'pull_requests';

export type Level = 'read' | 'write';

export type Need = {
	permission: Permission;
	/** The name on github.com's token page. */
	label: string;
	level: Level;
	why: string;
	/** Classic-token scopes, any one of which grants it. */
	scopes: readonly string[];
};

// No Secrets: the deploy workflow reads the platform's secrets in the cluster, so none is written.
const all: readonly Need[] = [
	{
		permission: 'metadata',
		label: 'Metadata',
		level: 'read',
		why: 'find the repository (GitHub adds it to every fine-grained token)',
		scopes: ['repo', 'public_repo'],
	},
	{
		permission: 'contents',
		label: 'Contents',
		level: 'write',
		why: 'commit .github/workflows/ai_staging_deploy.yml (or push a branch for a pull request)',
		scopes: ['repo'],
	},
	{
		permission: 'workflows',
		label: 'Workflows',
		level: 'write',
		why: 'GitHub refuses any change under .github/workflows/ without it',
		scopes: ['workflow'],
	},
	{
		permission: 'actions_variables',
		label: 'Variables',
		level: 'write',
		why: 'store the CODEXK8S_ Actions variables the workflow reads',
		scopes: ['repo'],
	},
	{
		permission: 'repository_hooks',
		label: 'Webhooks',
		level: 'write',
		why: 'point the repository webhook at the platform (server mode)',
		scopes: ['repo', 'admin:repo_hook', 'write:repo_hook'],
	},
	{
		permission: 'issues',
		label: 'Issues',
		level: 'write',
		why: 'create the label catalog the agents use',
		scopes: ['repo'],
	},
	{
		permission: 'administration',
		label: 'Administration',
		level: 'write',
		why: 'the in-cluster runner scale set registers itself with this token',
		scopes: ['repo'],
	},
	{
		permission: 'actions',
		label: 'Actions',
		level: 'write',
		why: 'start the deploy workflow and follow its run',
		scopes: ['repo'],
	},
];

/** Needed only when the base branch takes pull requests only: the workflow is then proposed as one. */
export const pullRequestsNeed: Need = {
	permission: 'pull_requests',
	label: 'Pull requests',
	level: 'write',
	why: 'the base branch is protected, so the workflow is proposed as a pull request',
	scopes: ['repo'],
};

/** What this installation needs: the webhook only in server mode. */
export function neededPermissions(input: Input): readonly Need[] {
	return all.filter(
		need => need.permission !== 'repository_hooks' || input.mode === 'server',
	);
}

export const allPermissions = all;

/** In the first project's repository: the webhook (server mode) and the labels. */
export function firstProjectPermissions(input: Input): readonly Need[] {
	return neededPermissions(input).filter(need =>
		['metadata', 'issues', 'repository_hooks'].includes(need.permission),
	);
}
