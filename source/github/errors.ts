import {UserError} from '../errors.js';
import {allPermissions, pullRequestsNeed} from './permissions.js';

/** The shape of Octokit's RequestError, checked structurally so no extra package is imported. */
type Refusal = {
	status: number;
	message: string;
	request?: {method?: string; url?: string};
	response?: {headers: Record<string, unknown>; data?: unknown};
};

function asRefusal(error: unknown): Refusal | undefined {
	return error instanceof Error &&
		typeof (error as Partial<Refusal>).status === 'number'
		? (error as unknown as Refusal)
		: undefined;
}

export function statusOf(error: unknown): number | undefined {
	return asRefusal(error)?.status;
}

/** GitHub answered (any status); a request that never got an answer has no response. */
export const answered = (error: unknown): boolean =>
	asRefusal(error)?.response !== undefined;

/** `X-Accepted-GitHub-Permissions` of a refused request, e.g. `secrets=write`; `;` separates alternatives. */
export function acceptedPermissions(error: unknown): string | undefined {
	const value =
		asRefusal(error)?.response?.headers['x-accepted-github-permissions'];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

const labels = new Map(
	[...allPermissions, pullRequestsNeed].map(need => [
		need.permission as string,
		need.label,
	]),
);

/** `issues=write; pull_requests=write` → `Issues (write) or Pull requests (write)`, as the token page names them. */
export function permissionWords(header: string): string {
	return header
		.split(';')
		.map(set =>
			set
				.split(',')
				.map(pair => {
					const [name = '', level = ''] = pair.trim().split('=');
					return `${labels.get(name) ?? name} (${level})`;
				})
				.join(' and '),
		)
		.join(' or ');
}

function messageOf(error: unknown): string {
	const refusal = asRefusal(error);
	if (refusal) {
		const data = refusal.response?.data as {message?: unknown} | undefined;
		return typeof data?.message === 'string'
			? data.message.replaceAll('\n', ' ').replaceAll(/\s{2,}/g, ' ')
			: refusal.message;
	}

	return error instanceof Error ? error.message : String(error);
}

/** `GET /repos/o/r/hooks`: the request as the API reference names it, without host or query. */
export function requestOf(error: unknown): string {
	const {method = '', url = ''} = asRefusal(error)?.request ?? {};
	let path = url;
	try {
		path = new URL(url).pathname.replace(/^\/api\/v3/, '');
	} catch {
		// A relative or empty URL is shown as it is.
	}

	return `${method} ${path}`.trim();
}

/** Plain words for a refused request, naming the permission GitHub asked for when it said. */
export function explainRefusal(error: unknown): string {
	const status = statusOf(error);
	const accepted = acceptedPermissions(error);
	if (error instanceof UserError && !answered(error)) {
		return error.message;
	}

	if (status === 401) {
		return 'GitHub rejected the token (401): it is wrong, revoked or expired';
	}

	if (accepted) {
		return `GitHub refused (${status}): the token needs ${permissionWords(accepted)} (X-Accepted-GitHub-Permissions: ${accepted})`;
	}

	if (status === 404) {
		return 'GitHub answered 404: either it does not exist or the token may not see it (fine-grained tokens answer 404, not 403, when access is missing)';
	}

	if (status === 409) {
		return `GitHub refused it as a conflict (409): ${messageOf(error)}`;
	}

	if (status === 422) {
		return `GitHub rejected the request (422): ${messageOf(error)}`;
	}

	return `GitHub answered ${status ?? 'with an error'}: ${messageOf(error)}`;
}

const refusalHint = (status: number, accepted: string | undefined) =>
	status === 401
		? 'Create a new token (https://github.com/settings/personal-access-tokens/new) and give it in CODEXK8S_GITHUB_TOKEN, --token-file or --token-stdin.'
		: accepted
			? `Edit the token on github.com (Settings → Developer settings → Personal access tokens) and grant ${permissionWords(accepted)} under Repository permissions; docs/github-token.md lists each one and why.`
			: status === 404
				? 'Check that the repository name is right and that the token was given access to it (fine-grained tokens: Repository access) with the permissions of docs/github-token.md.'
				: 'docs/github-token.md says what each refusal means and how to fix it.';

/**
 * A 4xx answer GitHub gave: explained, without a stack. It keeps `status`, `request` and
 * `response`, so code that expects a 404 or 409 still reads them.
 */
export class GitHubRefusal extends UserError {
	override name = 'GitHubRefusal';
	readonly status: number;
	readonly request: Refusal['request'];
	readonly response: Refusal['response'];

	constructor(error: unknown, what?: string) {
		const status = statusOf(error) ?? 0;
		const accepted = acceptedPermissions(error);
		super(`${what ?? `${requestOf(error)}`} failed: ${explainRefusal(error)}`, {
			hint: refusalHint(status, accepted),
			cause: error,
		});
		this.status = status;
		this.request = asRefusal(error)?.request;
		this.response = asRefusal(error)?.response;
	}
}

/** GitHub kept answering 5xx: its failure, said as such. */
export class GitHubFailure extends UserError {
	override name = 'GitHubFailure';
	readonly status: number;

	constructor(error: unknown, attempts: number) {
		const status = statusOf(error) ?? 500;
		super(
			`GitHub failed: it answered ${status} (${messageOf(error)}) to ${requestOf(error)}, ${attempts} time${attempts === 1 ? '' : 's'}`,
			{
				hint: 'This is GitHub’s failure, not a problem with your answers: see https://www.githubstatus.com (or your GitHub Enterprise server’s status) and run the command again in a few minutes. Nothing after the failed request was changed.',
				cause: error,
			},
		);
		this.status = status;
	}
}

/** Names what a refused write was for: the message then says "Writing … failed: …". Others pass through. */
export function asUserError(error: unknown, what: string): unknown {
	const status = statusOf(error);
	if (status === undefined || status >= 500 || !answered(error)) {
		return error;
	}

	return new GitHubRefusal(error, what);
}
