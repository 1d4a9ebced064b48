import {Buffer} from 'node:buffer';
import {Agent, request} from 'node:https';
import {setTimeout as delay} from 'node:timers/promises';

/** How a client proves who it is: the admin's client certificate, or a bearer token. */
export type Credentials = {ca: string} & (
	| {cert: string; key: string; token?: undefined}
	| {token: string; cert?: undefined; key?: undefined}
);

export type ApiResponse = {status: number; body: any; retryAfter?: string};

export type RequestOptions = {
	/** Content type of the body; JSON unless given (apply patches use application/apply-patch+yaml). */
	contentType?: string;
	query?: Record<string, string>;
};

export type ApiClient = {
	request(
		method: string,
		path: string,
		body?: unknown,
		options?: RequestOptions,
	): Promise<ApiResponse>;
	/** GET that expects 200 and returns the object. */
	get(path: string): Promise<any>;
};

/**
 * A minimal client for the Kubernetes REST API over node:https, on purpose independent of any
 * Kubernetes client library: the tests see the API's own status codes and bodies.
 */
export function apiClient(server: string, credentials: Credentials): ApiClient {
	const agent = new Agent({
		ca: credentials.ca,
		cert: credentials.cert,
		key: credentials.key,
		keepAlive: true,
	});
	const send = async (
		method: string,
		path: string,
		body?: unknown,
		options: RequestOptions = {},
	): Promise<ApiResponse> => {
		const url = new URL(path, server);
		for (const [name, value] of Object.entries(options.query ?? {})) {
			url.searchParams.set(name, value);
		}

		const payload =
			body === undefined || typeof body === 'string'
				? body
				: JSON.stringify(body);
		const headers: Record<string, string> = {accept: 'application/json'};
		if (payload !== undefined) {
			headers['content-type'] = options.contentType ?? 'application/json';
		}

		if (credentials.token !== undefined) {
			headers['authorization'] = `Bearer ${credentials.token}`;
		}

		return new Promise((resolve, reject) => {
			const outgoing = request(url, {method, agent, headers}, incoming => {
				const chunks: Uint8Array[] = [];
				incoming.on('data', (chunk: Uint8Array) => chunks.push(chunk));
				incoming.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let parsed: unknown = text;
					try {
						parsed = JSON.parse(text);
					} catch {
						// Not JSON (a plain-text health answer): the text itself.
					}

					resolve({
						status: incoming.statusCode ?? 0,
						body: parsed,
						retryAfter: incoming.headers['retry-after'],
					});
				});
			});
			outgoing.on('error', reject);
			outgoing.end(payload);
		});
	};

	// As client-go does: a 429 (an API still warming a cache, or fairness limits) is retried after
	// the Retry-After the server names, a bounded number of times.
	const sendRetrying = async (
		...request: Parameters<typeof send>
	): Promise<ApiResponse> => {
		for (let attempt = 1; ; attempt++) {
			// eslint-disable-next-line no-await-in-loop -- retried one at a time
			const response = await send(...request);
			if (response.status !== 429 || attempt === 10) {
				return response;
			}

			// eslint-disable-next-line no-await-in-loop
			await delay(1000 * Number(response.retryAfter ?? 1));
		}
	};

	return {
		request: sendRetrying,
		async get(path) {
			const response = await sendRetrying('GET', path);
			if (response.status !== 200) {
				throw new Error(
					`GET ${path}: ${response.status} ${JSON.stringify(response.body)}`,
				);
			}

			return response.body as unknown;
		},
	};
}
