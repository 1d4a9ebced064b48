import http from 'node:http';
import net from 'node:net';
import {bridgeAddress} from './constants.js';

export type AptProxy = {url: string; requests: number; close(): Promise<void>};

const hopByHop = new Set([
	'proxy-connection',
	'proxy-authorization',
	'connection',
	'keep-alive',
]);

/**
 * A minimal HTTP forward proxy on the bridge address so apt inside a guest (which has no route
 * out) reaches the host's Debian mirror. It forwards to those mirror hosts only; everything else
 * is refused, so a guest cannot reach any other address through it.
 */
export async function startAptProxy(
	allowedHosts: readonly string[],
): Promise<AptProxy> {
	const allowed = new Set(allowedHosts.map(host => host.toLowerCase()));
	const agent = new http.Agent({keepAlive: true, maxSockets: 8});
	const state = {requests: 0};

	const server = http.createServer((request, response) => {
		let target: URL;
		try {
			target = new URL(request.url ?? '');
		} catch {
			response.writeHead(400).end('absolute URL expected\n');
			return;
		}

		if (
			target.protocol !== 'http:' ||
			!allowed.has(target.host.toLowerCase())
		) {
			response
				.writeHead(403)
				.end(`not a Debian mirror this harness forwards to: ${target.host}\n`);
			return;
		}

		state.requests++;
		const headers = Object.fromEntries(
			Object.entries(request.headers).filter(
				([name]) => !hopByHop.has(name.toLowerCase()),
			),
		);
		const upstream = http.request(
			{
				host: target.hostname,
				port: target.port || 80,
				path: `${target.pathname}${target.search}`,
				method: request.method,
				headers,
				agent,
			},
			upstreamResponse => {
				response.writeHead(
					upstreamResponse.statusCode ?? 502,
					upstreamResponse.headers,
				);
				upstreamResponse.pipe(response);
			},
		);
		upstream.on('error', error => {
			if (response.headersSent) {
				response.destroy();
			} else {
				response.writeHead(502).end(`${error.message}\n`);
			}
		});
		request.pipe(upstream);
	});

	server.on(
		'connect',
		(request: http.IncomingMessage, client: net.Socket, head: Uint8Array) => {
			const [host = '', port = '443'] = (request.url ?? '').split(':');
			if (!allowed.has(host.toLowerCase()) || port !== '443') {
				client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
				return;
			}

			state.requests++;
			const upstream = net.connect(Number(port), host, () => {
				client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
				upstream.write(head);
				upstream.pipe(client);
				client.pipe(upstream);
			});
			upstream.on('error', () => {
				client.destroy();
			});
			client.on('error', () => {
				upstream.destroy();
			});
		},
	);

	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, bridgeAddress, resolve);
	});
	// Never the reason a finished test worker stays alive.
	server.unref();
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;

	return {
		url: `http://${bridgeAddress}:${port}`,
		get requests() {
			return state.requests;
		},
		async close() {
			server.closeAllConnections();
			agent.destroy();
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
