import {createServer, type Server} from 'node:http';
import type {AddressInfo} from 'node:net';
import {fakeSecret} from '../secrets.js';
import {type Fault, faultReply, readBody} from './http.js';
import {actionHandlers} from './handlers-actions.js';
import {hookHandlers} from './handlers-hooks.js';
import {fileHandlers} from './handlers-files.js';
import {pullHandlers} from './handlers-pulls.js';
import {type Handler, type Reply, repoHandlers} from './handlers.js';
import {OpenApi} from './openapi.js';
import {createRepoState, type RepoState} from './state.js';
import {allFine, isKnownOperation, refusal, type TokenSpec} from './tokens.js';

export type {Fault} from './http.js';

/**
 * A local, stateful stand-in for api.github.com. Every request and every response is validated
 * against GitHub's official OpenAPI description; anything off it is recorded as a violation and
 * answered with 400 (never retried) so the test fails where it happened.
 */

export type Recorded = {
	method: string;
	path: string;
	operationId?: string;
	status: number;
};

const handlers: Record<string, Handler> = {
	...repoHandlers,
	...fileHandlers,
	...pullHandlers,
	...actionHandlers,
	...hookHandlers,
};

/** The stand-in's token with every permission, made for this test process. */
export const fullToken = fakeSecret('github_pat_');

export type GitHubStandIn = {
	url: string;
	repo: RepoState;
	/** Every repository, by owner/name: `repo` and the `extraRepos` of the options. */
	repos: Map<string, RepoState>;
	tokens: Map<string, TokenSpec>;
	requests: Recorded[];
	violations: string[];
	/** Faults to answer the next requests with, in order (before authentication, as GitHub does). */
	faults: Fault[];
	writes(): Recorded[];
	close(): Promise<void>;
};

export async function startGitHubStandIn(
	options: {
		repo?: string;
		extraRepos?: string[];
		tokens?: Record<string, TokenSpec>;
	} = {},
): Promise<GitHubStandIn> {
	const api = OpenApi.load();
	const repo = await createRepoState(options.repo ?? 'acme/platform');
	const repos = new Map([[`${repo.owner}/${repo.name}`, repo]]);
	for (const slug of options.extraRepos ?? []) {
		// eslint-disable-next-line no-await-in-loop
		repos.set(slug, await createRepoState(slug));
	}

	const tokens = new Map<string, TokenSpec>(
		Object.entries({
			[fullToken]: {kind: 'fine-grained', permissions: allFine},
			...options.tokens,
		}),
	);
	const requests: Recorded[] = [];
	const violations: string[] = [];
	const faults: Fault[] = [];
	let url = '';

	const server: Server = createServer(async (request, response) => {
		const parsed = new URL(request.url ?? '/', 'http://127.0.0.1');
		const method = request.method ?? 'GET';
		const record: Recorded = {method, path: parsed.pathname, status: 0};
		requests.push(record);
		if (faults[0] === 'stall') {
			// Held open, unanswered: closing the stand-in ends it.
			faults.shift();
			return;
		}

		const send = (reply: Reply, extra: Record<string, string> = {}) => {
			record.status = reply.status;
			const text = reply.body === undefined ? '' : JSON.stringify(reply.body);
			response.writeHead(reply.status, {
				'content-type': 'application/json; charset=utf-8',
				'x-ratelimit-limit': '5000',
				'x-ratelimit-remaining': '4999',
				'x-ratelimit-reset': String(Math.ceil(Date.now() / 1000) + 3600),
				'x-ratelimit-resource': 'core',
				'x-github-request-id': `REQ:${requests.length}`,
				...extra,
				...reply.headers,
			});
			response.end(text);
		};

		const violation = (problem: string) => {
			violations.push(`${method} ${parsed.pathname}: ${problem}`);
			send({status: 400, body: {message: `stand-in: ${problem}`}});
		};

		const match = api.match(method, parsed.pathname);
		let body: unknown;
		try {
			body = await readBody(request);
		} catch {
			violation('request body is not JSON');
			return;
		}

		if (!match) {
			violation('no such operation in the OpenAPI description');
			return;
		}

		record.operationId = match.operation.id;
		let problems: string[];
		try {
			problems = api.validateRequest(match, parsed.searchParams, body);
		} catch (error) {
			problems = [`validator failed: ${String(error)}`];
		}

		if (problems.length > 0) {
			violation(`request off the description: ${problems.join('; ')}`);
			return;
		}

		let reply: ReturnType<typeof answer>;
		try {
			reply = answer();
		} catch (error) {
			violation(`stand-in failed: ${String(error)}`);
			return;
		}

		const replyProblems = api.validateResponse(
			match,
			reply.reply.status,
			reply.reply.body,
		);
		if (replyProblems.length > 0) {
			violation(
				`response off the description: ${replyProblems.slice(0, 5).join('; ')}`,
			);
			return;
		}

		send(reply.reply, reply.headers);

		function answer(): {reply: Reply; headers: Record<string, string>} {
			const fault = faults.shift();
			if (fault && fault !== 'stall') {
				return {reply: faultReply(fault), headers: {}};
			}

			const auth = request.headers.authorization?.replace(
				/^(token|bearer) /i,
				'',
			);
			const token = auth ? tokens.get(auth) : undefined;
			const headers: Record<string, string> = {};
			if (token?.kind === 'classic') {
				headers['x-oauth-scopes'] = token.scopes.join(', ');
				headers['x-accepted-oauth-scopes'] = 'repo';
			}

			if (token && token.kind !== 'expired' && token.expires) {
				headers['github-authentication-token-expiration'] = token.expires;
			}

			if (!isKnownOperation(match!.operation.id)) {
				violations.push(
					`${method} ${parsed.pathname}: the stand-in does not implement ${match!.operation.id}`,
				);
				return {
					reply: {status: 400, body: {message: 'stand-in: not implemented'}},
					headers,
				};
			}

			const slug = match!.params['owner']
				? `${match!.params['owner']}/${match!.params['repo']}`
				: undefined;
			const path = match!.params['path'] ?? '';
			const extra =
				(match!.operation.id === 'repos/create-or-update-file-contents' ||
					match!.operation.id === 'repos/delete-file') &&
				path.startsWith('.github/workflows/')
					? [['workflows', 'write'] as ['workflows', 'write']]
					: [];
			const refused = refusal(token, match!.operation.id, slug, extra);
			if (refused) {
				return {
					reply: {
						status: refused.status,
						body: {
							message: refused.message,
							documentation_url: 'https://docs.github.com/rest',
							status: String(refused.status),
						},
						headers: refused.headers,
					},
					headers,
				};
			}

			const state = slug ? repos.get(slug) : repo;
			if (!state) {
				return {
					reply: {
						status: 404,
						body: {
							message: 'Not Found',
							documentation_url: 'https://docs.github.com/rest',
							status: '404',
						},
					},
					headers,
				};
			}

			const handler = handlers[match!.operation.id];
			if (!handler) {
				throw new Error(`no handler for ${match!.operation.id}`);
			}

			return {
				reply: handler({
					state,
					params: match!.params,
					query: parsed.searchParams,
					body,
					api,
					base: url,
					now: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
					login: 'octocat',
				}),
				headers,
			};
		}
	});

	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		url,
		repo,
		repos,
		tokens,
		requests,
		violations,
		faults,
		writes: () =>
			requests.filter(item => item.method !== 'GET' && item.method !== 'HEAD'),
		async close() {
			server.closeAllConnections();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
