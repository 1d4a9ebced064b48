/* eslint-disable @typescript-eslint/no-unsafe-member-access */
// Request bodies reach a handler only after they validated against the OpenAPI description.
import type {OpenApi} from './openapi.js';
import {openSealed, publicKeyBase64, type RepoState} from './state.js';

export type Call = {
	state: RepoState;
	params: Record<string, string>;
	query: URLSearchParams;
	body: any;
	api: OpenApi;
	/** Base URL of the stand-in, for `url` fields. */
	base: string;
	now: string;
	login: string;
};
export type Reply = {
	status: number;
	body?: unknown;
	headers?: Record<string, string>;
};
export type Handler = (call: Call) => Reply;

const docs = 'https://docs.github.com/rest';

export function notFound(): Reply {
	return {
		status: 404,
		body: {message: 'Not Found', documentation_url: docs, status: '404'},
	};
}

export function invalid(
	resource: string,
	field: string,
	code: string,
	message = 'Validation Failed',
): Reply {
	return {
		status: 422,
		body: {
			message,
			errors: [{resource, code, field}],
			documentation_url: docs,
			status: '422',
		},
	};
}

export function repoUrl(call: Call): string {
	return `${call.base}/repos/${call.state.owner}/${call.state.name}`;
}

function label(call: Call, name: string): Record<string, unknown> {
	const stored = call.state.labels.get(name)!;
	return {
		...call.api.example('label'),
		id: stored.id,
		node_id: `LA_${stored.id}`,
		url: `${repoUrl(call)}/labels/${encodeURIComponent(name)}`,
		name: stored.name,
		// GitHub sends null for a label without a description.

		description: stored.description ?? null,
		color: stored.color,
		default: false,
	};
}

const variableNamePattern = /^[a-z_]\w*$/i;

export const repoHandlers: Record<string, Handler> = {
	'users/get-authenticated': call => ({
		status: 200,
		body: {...call.api.example('private-user'), login: call.login},
	}),
	'rate-limit/get': call => ({
		status: 200,
		body: call.api.example('rate-limit-overview'),
	}),
	'repos/get': call => ({
		status: 200,
		body: {
			...call.api.example('full-repository-default-response'),
			language: null,
			// Forks' parents are out of scope; GitHub omits them for a non-fork.
			parent: undefined,
			source: undefined,
			template_repository: undefined,
			fork: false,
			name: call.state.name,
			full_name: `${call.state.owner}/${call.state.name}`,
			private: true,
			default_branch: call.state.defaultBranch,
			permissions: {
				admin: call.state.isAdmin,
				maintain: true,
				push: true,
				triage: true,
				pull: true,
			},
		},
	}),
	'actions/get-repo-public-key': call => ({
		status: 200,
		body: {key_id: call.state.keyId, key: publicKeyBase64(call.state)},
	}),
	'actions/list-repo-secrets': call => ({
		status: 200,
		body: {
			total_count: call.state.secrets.size,
			secrets: [...call.state.secrets].map(([name, stored]) => ({
				name,
				created_at: stored.createdAt,
				updated_at: stored.updatedAt,
			})),
		},
	}),
	'actions/create-or-update-repo-secret'({state, params, body, now}) {
		if (body.key_id !== state.keyId) {
			return invalid(
				'Secret',
				'key_id',
				'invalid',
				'Bad request: key_id does not match',
			);
		}

		try {
			openSealed(state, body.encrypted_value as string);
		} catch {
			return invalid(
				'Secret',
				'encrypted_value',
				'invalid',
				'Bad request: could not decrypt',
			);
		}

		const name = params['secret_name']!;
		const existing = state.secrets.get(name);
		state.secrets.set(name, {
			sealed: body.encrypted_value as string,
			keyId: body.key_id as string,
			createdAt: existing?.createdAt ?? now,
			updatedAt: now,
		});
		return existing ? {status: 204} : {status: 201, body: {}};
	},
	'actions/delete-repo-secret'({state, params}) {
		return state.secrets.delete(params['secret_name']!)
			? {status: 204}
			: notFound();
	},
	'actions/list-repo-variables': call => ({
		status: 200,
		body: {
			total_count: call.state.variables.size,
			variables: [...call.state.variables].map(([name, stored]) => ({
				name,
				value: stored.value,
				created_at: stored.createdAt,
				updated_at: stored.updatedAt,
			})),
		},
	}),
	'actions/get-repo-variable'({state, params}) {
		const name = params['name']!;
		const stored = state.variables.get(name);
		return stored
			? {
					status: 200,
					body: {
						name,
						value: stored.value,
						created_at: stored.createdAt,
						updated_at: stored.updatedAt,
					},
				}
			: notFound();
	},
	'actions/create-repo-variable'({state, body, now}) {
		const name = String(body.name);
		if (
			name.toUpperCase().startsWith('GITHUB_') ||
			!variableNamePattern.test(name)
		) {
			return invalid(
				'Variable',
				'name',
				'invalid',
				'Variable names must not start with GITHUB_',
			);
		}

		if (state.variables.has(name)) {
			return invalid('Variable', 'name', 'already_exists', 'Already exists');
		}

		state.variables.set(name, {
			value: String(body.value),
			createdAt: now,
			updatedAt: now,
		});
		return {status: 201, body: {}};
	},
	'actions/update-repo-variable'({state, params, body, now}) {
		const stored = state.variables.get(params['name']!);
		if (!stored) {
			return notFound();
		}

		stored.value = String(body.value);
		stored.updatedAt = now;
		return {status: 204};
	},
	'actions/delete-repo-variable'({state, params}) {
		return state.variables.delete(params['name']!) ? {status: 204} : notFound();
	},
	'issues/list-labels-for-repo': call => ({
		status: 200,
		body: [...call.state.labels.keys()].map(name => label(call, name)),
	}),
	'issues/create-label'(call) {
		const name = String(call.body.name);
		if (call.state.labels.has(name)) {
			return invalid('Label', 'name', 'already_exists');
		}

		call.state.labels.set(name, {
			id: call.state.nextId++,
			name,
			description: call.body.description as string | undefined,
			color: (call.body.color as string | undefined) ?? 'ededed',
		});
		return {status: 201, body: label(call, name)};
	},
	'issues/update-label'(call) {
		const stored = call.state.labels.get(call.params['name']!);
		if (!stored) {
			return notFound();
		}

		stored.description =
			(call.body.description as string | undefined) ?? stored.description;
		stored.color = (call.body.color as string | undefined) ?? stored.color;
		return {status: 200, body: label(call, stored.name)};
	},
};
