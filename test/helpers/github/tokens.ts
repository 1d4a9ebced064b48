/** Which operation needs which permission, and how the stand-in refuses a token that lacks it. */

export type FinePermission =
	| 'metadata'
	| 'contents'
	| 'workflows'
	| 'secrets'
	| 'actions_variables'
	| 'repository_hooks'
	| 'issues'
	| 'pull_requests'
	| 'administration'
	| 'actions';

export type TokenSpec =
	| {
			kind: 'fine-grained';
			permissions: Partial<Record<FinePermission, 'read' | 'write'>>;
			/** Repositories selected for the token; default: all. */
			repos?: string[];
			/** `GitHub-Authentication-Token-Expiration` value. */
			expires?: string;
			/** Permissions whose absence GitHub shows as 404 instead of 403. */
			missingAs404?: FinePermission[];
	  }
	| {kind: 'classic'; scopes: string[]; expires?: string}
	| {kind: 'expired'};

export const allFine: Record<FinePermission, 'write'> = {
	metadata: 'write',
	contents: 'write',
	workflows: 'write',
	secrets: 'write',
	actions_variables: 'write',
	repository_hooks: 'write',
	issues: 'write',
	pull_requests: 'write',
	administration: 'write',
	actions: 'write',
};

type Requirement = Array<[FinePermission, 'read' | 'write']>;

/** Alternatives (any one set suffices); `undefined` = no repository permission needed. */
const needs: Record<string, Requirement[] | undefined> = {
	'users/get-authenticated': undefined,
	'rate-limit/get': undefined,
	'repos/get': [[['metadata', 'read']]],
	'actions/get-repo-public-key': [[['secrets', 'read']]],
	'actions/list-repo-secrets': [[['secrets', 'read']]],
	'actions/get-repo-secret': [[['secrets', 'read']]],
	'actions/create-or-update-repo-secret': [[['secrets', 'write']]],
	'actions/delete-repo-secret': [[['secrets', 'write']]],
	'actions/list-repo-variables': [[['actions_variables', 'read']]],
	'actions/get-repo-variable': [[['actions_variables', 'read']]],
	'actions/create-repo-variable': [[['actions_variables', 'write']]],
	'actions/update-repo-variable': [[['actions_variables', 'write']]],
	'actions/delete-repo-variable': [[['actions_variables', 'write']]],
	'issues/list-labels-for-repo': [
		[['issues', 'read']],
		[['pull_requests', 'read']],
	],
	'issues/create-label': [[['issues', 'write']], [['pull_requests', 'write']]],
	'issues/update-label': [[['issues', 'write']], [['pull_requests', 'write']]],
	'repos/get-content': [[['contents', 'read']]],
	'repos/create-or-update-file-contents': [[['contents', 'write']]],
	'repos/delete-file': [[['contents', 'write']]],
	'repos/get-branch': [[['contents', 'read']]],
	'repos/get-branch-rules': [[['metadata', 'read']]],
	'git/get-ref': [[['contents', 'read']]],
	'git/create-ref': [[['contents', 'write']]],
	'pulls/create': [[['pull_requests', 'write']]],
	'pulls/list': [[['pull_requests', 'read']]],
	'repos/list-webhooks': [[['repository_hooks', 'read']]],
	'repos/create-webhook': [[['repository_hooks', 'write']]],
	'repos/update-webhook': [[['repository_hooks', 'write']]],
	'repos/delete-webhook': [[['repository_hooks', 'write']]],
	'repos/ping-webhook': [[['repository_hooks', 'write']]],
	'repos/list-webhook-deliveries': [[['repository_hooks', 'read']]],
	'actions/list-self-hosted-runners-for-repo': [[['administration', 'read']]],
	'actions/list-repo-workflows': [[['actions', 'read']]],
	'actions/create-workflow-dispatch': [[['actions', 'write']]],
	'actions/list-workflow-runs': [[['actions', 'read']]],
	'actions/get-workflow-run': [[['actions', 'read']]],
	'actions/list-jobs-for-workflow-run': [[['actions', 'read']]],
};

export function isKnownOperation(id: string): boolean {
	return id in needs;
}

const rank = {read: 1, write: 2};

export type Refusal = {
	status: 401 | 403 | 404;
	message: string;
	headers: Record<string, string>;
};

function header(alternatives: Requirement[]): string {
	return alternatives
		.map(set => set.map(([name, level]) => `${name}=${level}`).join(','))
		.join('; ');
}

/** Why this token may not run this operation on this repository, or `undefined` if it may. */
export function refusal(
	token: TokenSpec | undefined,
	operationId: string,
	repo: string | undefined,
	extra: Requirement = [],
): Refusal | undefined {
	if (!token || token.kind === 'expired') {
		return {status: 401, message: 'Bad credentials', headers: {}};
	}

	const base = needs[operationId];
	if (base === undefined) {
		return undefined;
	}

	const alternatives = base.map(set => [...set, ...extra]);
	if (token.kind === 'classic') {
		const scopes = new Set(token.scopes);
		const needsWorkflow = extra.some(([name]) => name === 'workflows');
		const needsHook = operationId.includes('webhook');
		const ok =
			(scopes.has('repo') ||
				(needsHook &&
					(scopes.has('admin:repo_hook') || scopes.has('write:repo_hook')))) &&
			(!needsWorkflow || scopes.has('workflow'));
		// Classic tokens without the scope see a private repository as absent.
		return ok ? undefined : {status: 404, message: 'Not Found', headers: {}};
	}

	if (token.repos && repo && !token.repos.includes(repo)) {
		return {status: 404, message: 'Not Found', headers: {}};
	}

	const granted = (name: FinePermission, level: 'read' | 'write') =>
		name === 'metadata' ||
		(rank[token.permissions[name] ?? 'read'] >= rank[level] &&
			token.permissions[name] !== undefined);
	if (
		alternatives.some(set => set.every(([name, level]) => granted(name, level)))
	) {
		return undefined;
	}

	const missing = alternatives[0]!.find(
		([name, level]) => !granted(name, level),
	)!;
	if (token.missingAs404?.includes(missing[0])) {
		return {status: 404, message: 'Not Found', headers: {}};
	}

	return {
		status: 403,
		message: 'Resource not accessible by personal access token',
		headers: {'x-accepted-github-permissions': header(alternatives)},
	};
}
