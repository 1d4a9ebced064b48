import {takesPullRequestsOnly} from './branch.js';
import type {GitHub} from './client.js';
import {
	acceptedPermissions,
	answered,
	explainRefusal,
	statusOf,
} from './errors.js';
import {type Need, type Permission, pullRequestsNeed} from './permissions.js';

export type ProbeStatus = 'present' | 'missing' | 'unknown';

export type ProbeRow = Need & {status: ProbeStatus; reason: string};

export type TokenKind = 'fine-grained' | 'classic' | 'unknown';

export type ProbeReport = {
	kind: TokenKind;
	login?: string;
	/** As GitHub reports it in `GitHub-Authentication-Token-Expiration`. */
	expiresAt?: string;
	scopes?: string[];
	/** The token or repository is unusable altogether; rows are then all unknown. */
	fatal?: string;
	rows: ProbeRow[];
};

type Headers = Record<string, unknown>;

function header(headers: Headers, name: string): string | undefined {
	const value = headers[name];
	return typeof value === 'string' ? value : undefined;
}

/** Kind from the prefix, else from the header: classic tokens always get `X-OAuth-Scopes`. */
export function tokenKind(token: string, headers: Headers): TokenKind {
	if (token.startsWith('github_pat_')) {
		return 'fine-grained';
	}

	if (/^gh[pousr]_/.test(token)) {
		return 'classic';
	}

	return header(headers, 'x-oauth-scopes') === undefined
		? 'fine-grained'
		: 'classic';
}

type ReadProbe = (gh: GitHub, baseBranch: string) => Promise<unknown>;

// One side-effect-free request per permission. Workflows has none: it only guards writes.
const readProbes: Partial<Record<Permission, ReadProbe>> = {
	async contents({api, owner, repo}, branch) {
		return api.git.getRef({owner, repo, ref: `heads/${branch}`});
	},
	async actions_variables({api, owner, repo}) {
		return api.actions.listRepoVariables({owner, repo, per_page: 1});
	},
	async repository_hooks({api, owner, repo}) {
		return api.repos.listWebhooks({owner, repo, per_page: 1});
	},
	async issues({api, owner, repo}) {
		return api.issues.listLabelsForRepo({owner, repo, per_page: 1});
	},
	async administration({api, owner, repo}) {
		return api.actions.listSelfHostedRunnersForRepo({owner, repo, per_page: 1});
	},
	async actions({api, owner, repo}) {
		return api.actions.listRepoWorkflows({owner, repo, per_page: 1});
	},
	async pull_requests({api, owner, repo}) {
		return api.pulls.list({owner, repo, per_page: 1});
	},
};

/** Pull requests join the needs when the base branch takes only them; unreadable or missing: not known to. */
async function withBranchNeeds(
	gh: GitHub,
	needs: readonly Need[],
	branch: string,
): Promise<readonly Need[]> {
	try {
		return (await takesPullRequestsOnly(gh, branch))
			? [...needs, pullRequestsNeed]
			: needs;
	} catch (error) {
		if (!answered(error)) {
			throw error;
		}

		return needs;
	}
}

const writeNote =
	'read access proven; GitHub offers no read-only test for write, the first write proves it';

async function probeOne(
	gh: GitHub,
	need: Need,
	baseBranch: string,
	isAdmin: boolean | undefined,
): Promise<ProbeRow> {
	if (need.permission === 'metadata') {
		return {...need, status: 'present', reason: 'the repository is visible'};
	}

	const probe = readProbes[need.permission];
	if (!probe) {
		return {
			...need,
			status: 'unknown',
			reason:
				'fine-grained tokens show it only when a workflow file is written; a refusal then names it',
		};
	}

	try {
		await probe(gh, baseBranch);
	} catch (error) {
		if (!answered(error)) {
			throw error;
		}

		const status = statusOf(error);
		if (status === 403 || status === 404) {
			const accepted = acceptedPermissions(error);
			return {
				...need,
				status: 'missing',
				reason: accepted
					? `${status}: GitHub asks for ${accepted}`
					: `${status}: fine-grained tokens answer 404 when the permission is missing`,
			};
		}

		if (status === 409 && need.permission === 'contents') {
			return {...need, status: 'unknown', reason: 'the repository is empty'};
		}

		return {...need, status: 'unknown', reason: explainRefusal(error)};
	}

	if (need.permission === 'administration' && isAdmin === false) {
		return {
			...need,
			status: 'missing',
			reason:
				'the token’s account is not an admin of the repository; runner registration needs one',
		};
	}

	return {
		...need,
		status: 'present',
		reason: need.level === 'write' ? writeNote : 'read access proven',
	};
}

function fromScopes(need: Need, scopes: readonly string[]): ProbeRow {
	const granted = need.scopes.find(scope => scopes.includes(scope));
	return granted
		? {...need, status: 'present', reason: `classic scope ${granted}`}
		: {
				...need,
				status: 'missing',
				reason: `classic token lacks the ${need.scopes.join(' or ')} scope`,
			};
}

/**
 * Reads, never writes: identity and kind, the repository, then one request per fine-grained
 * permission. `baseBranch` is where the workflow goes; a protected one adds Pull requests.
 */
export async function probeToken(
	gh: GitHub,
	token: string,
	needs: readonly Need[],
	baseBranch = 'main',
): Promise<ProbeReport> {
	return probeRepo(gh, token, needs, baseBranch);
}

/** The same for a repository that gets no workflow (the first project's). */
export async function probeOtherRepo(
	gh: GitHub,
	token: string,
	needs: readonly Need[],
): Promise<ProbeReport> {
	return probeRepo(gh, token, needs, undefined);
}

async function probeRepo(
	gh: GitHub,
	token: string,
	needs: readonly Need[],
	baseBranch: string | undefined,
): Promise<ProbeReport> {
	const unknownRows = (reason: string): ProbeRow[] =>
		needs.map(need => ({...need, status: 'unknown', reason}));
	let identity;
	try {
		identity = await gh.api.users.getAuthenticated();
	} catch (error) {
		// No answer (network, 5xx, Ctrl-C) says nothing about the token: the caller explains it.
		if (!answered(error)) {
			throw error;
		}

		const fatal = explainRefusal(error);
		return {
			kind: tokenKind(token, {}),
			fatal,
			rows: unknownRows('token not usable'),
		};
	}

	const headers = identity.headers as Headers;
	const kind = tokenKind(token, headers);
	const scopesHeader = header(headers, 'x-oauth-scopes');
	const scopes =
		scopesHeader === undefined
			? undefined
			: scopesHeader
					.split(',')
					.map(scope => scope.trim())
					.filter(Boolean);
	const base = {
		kind,
		login: identity.data.login,
		expiresAt: header(headers, 'github-authentication-token-expiration'),
		scopes,
	};
	let isAdmin: boolean | undefined;
	try {
		const {data} = await gh.api.repos.get({owner: gh.owner, repo: gh.repo});
		isAdmin = data.permissions?.admin;
	} catch (error) {
		if (!answered(error)) {
			throw error;
		}

		const fatal =
			statusOf(error) === 404
				? `repository ${gh.owner}/${gh.repo} not found, or the token was not given access to it (fine-grained tokens answer 404 for both)`
				: explainRefusal(error);
		return {...base, fatal, rows: unknownRows('repository not readable')};
	}

	const wanted =
		baseBranch === undefined
			? needs
			: await withBranchNeeds(gh, needs, baseBranch);
	if (kind === 'classic' && scopes) {
		return {...base, rows: wanted.map(need => fromScopes(need, scopes))};
	}

	const rows: ProbeRow[] = [];
	for (const need of wanted) {
		// Sequential on purpose: a handful of reads, and parallel bursts invite secondary limits.
		// eslint-disable-next-line no-await-in-loop
		rows.push(await probeOne(gh, need, baseBranch ?? 'main', isAdmin));
	}

	return {...base, rows};
}
