import {Buffer} from 'node:buffer';
import {Agent, request as httpsRequest, type RequestOptions} from 'node:https';
import {connect as tlsConnect} from 'node:tls';
import {InterruptedError, UnreachableError} from '../errors.js';
import {apiError, type Refused} from './errors.js';
import type {Transport} from './transport.js';

export type KubeRequest = {
	body?: unknown;
	/** JSON unless given: server-side apply sends `application/apply-patch+yaml`. */
	contentType?: string;
	query?: Record<string, string>;
	signal?: AbortSignal;
};

/** A Kubernetes API client over one transport, made once per run. */
export type Kube = {
	readonly where: string;
	/** The answer's body for a 2xx; a UserError saying why for anything else. */
	request<T = unknown>(
		method: string,
		path: string,
		options?: KubeRequest,
	): Promise<T>;
	/** GET that answers `undefined` for 404 (an object not there yet). */
	read<T = unknown>(path: string, signal?: AbortSignal): Promise<T | undefined>;
};

type Answer = {status: number; text: string};

export function createKube(transport: Transport): Kube {
	const {credentials} = transport;
	const tls = {
		ca: credentials.ca,
		cert: credentials.cert,
		key: credentials.key,
	};
	// Direct transports keep connections alive; a forwarded channel carries one request.
	const agent = transport.channel
		? undefined
		: new Agent({...tls, keepAlive: true});
	const server = new URL(transport.server);

	const send = async (
		method: string,
		path: string,
		options: KubeRequest,
	): Promise<Answer> => {
		const url = new URL(path, server);
		for (const [name, value] of Object.entries(options.query ?? {})) {
			url.searchParams.set(name, value);
		}

		const payload =
			options.body === undefined || typeof options.body === 'string'
				? options.body
				: JSON.stringify(options.body);
		const headers: Record<string, string> = {
			accept: 'application/json',
			'user-agent': 'codex-k8s-install',
		};
		if (payload !== undefined) {
			headers['content-type'] = options.contentType ?? 'application/json';
			// Node sends a DELETE's body unframed without it, and the kept-alive connection's next
			// request would be read as the rest of that body.
			headers['content-length'] = String(Buffer.byteLength(payload));
		}

		if (credentials.token !== undefined) {
			headers['authorization'] = `Bearer ${credentials.token}`;
		}

		const requestOptions: RequestOptions = {
			method,
			headers,
			signal: options.signal,
			...tls,
		};
		if (transport.channel) {
			const channel = await transport.channel();
			const socket = tlsConnect({
				...tls,
				socket: channel,
				host: server.hostname,
			});
			// With no agent at all (not even `false`) node uses createConnection for the request.
			requestOptions.createConnection = () => socket;
		} else {
			requestOptions.agent = agent;
		}

		return new Promise((resolve, reject) => {
			const outgoing = httpsRequest(url, requestOptions, incoming => {
				const chunks: Uint8Array[] = [];
				incoming.on('data', (chunk: Uint8Array) => {
					chunks.push(chunk);
				});
				incoming.on('error', reject);
				incoming.on('end', () => {
					resolve({
						status: incoming.statusCode ?? 0,
						text: Buffer.concat(chunks).toString('utf8'),
					});
				});
			});
			outgoing.on('error', reject);
			outgoing.end(payload);
		});
	};

	const exchange = async (
		method: string,
		path: string,
		options: KubeRequest = {},
	): Promise<Answer> => {
		try {
			return await send(method, path, options);
		} catch (error) {
			if (options.signal?.aborted) {
				throw new InterruptedError();
			}

			throw new UnreachableError(
				`${transport.where} does not answer (${(error as Error).message})`,
				{hint: transport.unreachableHint, cause: error},
			);
		}
	};

	const parsed = (text: string): unknown => {
		try {
			return JSON.parse(text) as unknown;
		} catch {
			return text;
		}
	};

	const refused = (method: string, path: string, answer: Answer): Refused => ({
		method,
		path,
		status: answer.status,
		body: parsed(answer.text),
	});

	return {
		where: transport.where,
		async request<T>(method: string, path: string, options: KubeRequest = {}) {
			const answer = await exchange(method, path, options);
			if (answer.status < 200 || answer.status > 299) {
				throw apiError(refused(method, path, answer), transport.where);
			}

			return parsed(answer.text) as T;
		},
		async read<T>(path: string, signal?: AbortSignal) {
			const answer = await exchange('GET', path, {signal});
			if (answer.status === 404) {
				return undefined;
			}

			if (answer.status !== 200) {
				throw apiError(refused('GET', path, answer), transport.where);
			}

			return parsed(answer.text) as T;
		},
	};
}
