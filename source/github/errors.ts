import {UserError} from '../errors.js';

/** The shape of Octokit's RequestError, checked structurally so no extra package is imported. */
type Refusal = {
	status: number;
	message: string;
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

/** `X-Accepted-GitHub-Permissions` of a refused request, e.g. `secrets=write`; `;` separates alternatives. */
export function acceptedPermissions(error: unknown): string | undefined {
	const value =
		asRefusal(error)?.response?.headers['x-accepted-github-permissions'];
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function messageOf(error: unknown): string {
	const refusal = asRefusal(error);
	if (refusal) {
		const data = refusal.response?.data as {message?: unknown} | undefined;
		return typeof data?.message === 'string' ? data.message : refusal.message;
	}

	return error instanceof Error ? error.message : String(error);
}

/** Plain words for a refused request, naming the permission GitHub asked for when it said. */
export function explainRefusal(error: unknown): string {
	const status = statusOf(error);
	const accepted = acceptedPermissions(error);
	if (status === 401) {
		return 'GitHub rejected the token (401): it is wrong, revoked or expired';
	}

	if (accepted) {
		return `GitHub refused (${status}): the token needs ${accepted}`;
	}

	if (status === 404) {
		return 'GitHub answered 404: either it does not exist or the token may not see it (fine-grained tokens answer 404, not 403, when access is missing)';
	}

	return `GitHub answered ${status ?? 'with an error'}: ${messageOf(error)}`;
}

/** Turns a refused write into a UserError that says what to do; other errors pass through. */
export function asUserError(error: unknown, what: string): unknown {
	const status = statusOf(error);
	if (status === undefined || status >= 500) {
		return error;
	}

	return new UserError(`${what} failed: ${explainRefusal(error)}`, {
		hint: 'Check the token’s permissions with `codex-k8s-install doctor`; docs/github-token.md lists each one and why.',
		cause: error,
	});
}
