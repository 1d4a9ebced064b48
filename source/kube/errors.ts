import {NotThereYetError, UserError} from '../errors.js';

/** An answer outside 2xx: the request and what the API said. */
export type Refused = {
	method: string;
	path: string;
	status: number;
	body: unknown;
};

type Status = {
	kind?: string;
	message?: string;
	reason?: string;
	details?: {
		name?: string;
		group?: string;
		kind?: string;
		causes?: Array<{field?: string; message?: string; reason?: string}>;
	};
};

const verbs: Record<string, string> = {
	GET: 'read',
	POST: 'create',
	PUT: 'replace',
	PATCH: 'apply',
	DELETE: 'delete',
};

/** `/apis/apps/v1/namespaces/x/deployments/web` → deployments.apps "web" in namespace x. */
function objectOf(path: string, status: Status): string {
	const parts = new URL(path, 'https://api').pathname
		.split('/')
		.filter(Boolean);
	const namespace = parts[parts.indexOf('namespaces') + 1];
	const inNamespace =
		parts.includes('namespaces') && parts.at(-2) !== 'namespaces'
			? ` in namespace ${namespace}`
			: '';
	const details = status.details ?? {};
	const resource =
		details.kind ??
		parts.find((_, index) => parts[index - 1] === namespace) ??
		parts.at(-1);
	const group = details.group ? `.${details.group}` : '';
	const name = details.name ? ` "${details.name}"` : '';
	return `${resource}${group}${name}${inNamespace}`;
}

const oneLine = (text: string) => text.replaceAll(/\s+/g, ' ').trim();

/** The API answered outside 2xx; `status` tells a missing object (404) from a refusal. */
export class ApiError extends UserError {
	readonly status: number;

	constructor(
		status: number,
		message: string,
		options?: ConstructorParameters<typeof UserError>[1],
	) {
		super(message, options);
		this.status = status;
	}
}

/** The API's refusal in plain words: which field is wrong, what is not allowed, and what to do. */
export function apiError(refused: Refused, where: string): UserError {
	const status: Status =
		typeof refused.body === 'object' && refused.body !== null
			? refused.body
			: {message: String(refused.body)};
	const verb = verbs[refused.method] ?? refused.method.toLowerCase();
	const object = objectOf(refused.path, status);
	const said = oneLine(status.message ?? '');
	switch (refused.status) {
		case 401: {
			return new ApiError(
				refused.status,
				`${where} did not accept the installer's credentials`,
				{
					hint: 'The client certificate or token is not valid for this cluster: read the kubeconfig again (k3s may have been reinstalled).',
				},
			);
		}

		case 403: {
			const user = /User "([^"]+)"/.exec(said)?.[1];
			// The API names the RBAC verb and resource it checked (`cannot list resource "nodes"`,
			// `"services/proxy"` for a service's proxy): the rule to grant, in RBAC's own words.
			const checked = /cannot (\w+) resource "([^"]+)"/v.exec(said);
			const rule = checked
				? `"${checked[1]!}" verb on ${checked[2]!}`
				: `"${verb === 'apply' ? 'patch' : verb}" verb on ${object.split(' ')[0]!}`;
			const grant = `Grant that identity the ${rule} (RBAC), or use the cluster admin's kubeconfig.`;
			// The deploy workflow's account holds only what a deploy of an installed version needs.
			const hint = user?.startsWith('system:serviceaccount:')
				? `${grant} In the deploy workflow: it changes only what a deploy changes; a new installer version or a mode switch is applied from your computer with \`codex-k8s-install install\`, then the workflow runs again.`
				: grant;
			return new ApiError(
				refused.status,
				`Not allowed to ${verb} ${object}${user ? ` as ${user}` : ''}`,
				{hint},
			);
		}

		case 409: {
			return new UserError(`Could not ${verb} ${object}: ${said}`, {
				hint: 'Another field manager owns these fields, or the object changed meanwhile: look at it with `kubectl get -o yaml --show-managed-fields`.',
			});
		}

		case 422:
		case 400: {
			const causes = (status.details?.causes ?? []).map(cause =>
				cause.field
					? `${cause.field}: ${oneLine(cause.message ?? cause.reason ?? '')}`
					: oneLine(cause.message ?? ''),
			);
			return new ApiError(
				refused.status,
				`The API refused ${object} as invalid${causes.length > 0 ? `: ${causes.join('; ')}` : `: ${said}`}`,
				{hint: 'Correct the named field in the input and run again.'},
			);
		}

		default: {
			return new ApiError(
				refused.status,
				`Could not ${verb} ${object}: ${refused.status} ${said}`.trim(),
				{hint: `Check ${where} and run again.`},
			);
		}
	}
}

/** The host has no k3s kubeconfig yet: nothing of the cluster can be read before k3s runs. */
export class ClusterNotRunningError extends NotThereYetError {
	constructor(hostName: string) {
		super(`k3s is not running on ${hostName} yet`, {
			hint: 'The cluster phase installs it; run `install` (or `install --only cluster`) first.',
		});
	}
}

/** The API has no such type: its CustomResourceDefinition is not installed yet. */
export class UnknownKindError extends UserError {
	constructor(where: string, kind: string, apiVersion: string) {
		super(`${where} does not know ${kind} (${apiVersion})`, {
			hint: 'Its CustomResourceDefinition is not installed yet: the step that installs it (a Helm chart) must run first.',
		});
	}
}
