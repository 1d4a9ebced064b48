import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync} from 'node:fs';
import {createServer as createHttpsServer} from 'node:https';
import {
	type AddressInfo,
	createServer,
	type Server,
	type Socket,
} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/*
Real network failures, all on this machine: a port nobody listens on, a server that takes the
connection and never answers, a TLS server with a certificate nobody signed, and a name under
`.invalid` (RFC 6761: never resolves).
*/

export type Endpoint = {url: string; close: () => Promise<void>};

async function listening(
	server: Server | ReturnType<typeof createHttpsServer>,
) {
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return (server.address() as AddressInfo).port;
}

async function closed(server: Server | ReturnType<typeof createHttpsServer>) {
	await new Promise<void>(resolve => {
		server.close(() => {
			resolve();
		});
	});
}

/** A loopback port that was just free: connecting to it is refused. */
export async function refusedUrl(): Promise<string> {
	const server = createServer();
	const port = await listening(server);
	await closed(server);
	return `http://127.0.0.1:${port}`;
}

export const unresolvableUrl = 'https://api.github-stand-in.invalid';

/** Accepts every connection and never says a word; `requests` counts the requests it was sent. */
export async function silentServer(): Promise<
	Endpoint & {requests: () => number}
> {
	const sockets = new Set<Socket>();
	let count = 0;
	const server = createServer(socket => {
		sockets.add(socket);
		socket.once('data', () => {
			count++;
		});
		socket.on('close', () => sockets.delete(socket));
	});
	const port = await listening(server);
	return {
		url: `http://127.0.0.1:${port}`,
		requests: () => count,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await closed(server);
		},
	};
}

/** HTTPS with a fresh self-signed certificate, which Node rightly refuses. */
export async function selfSignedServer(): Promise<Endpoint> {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-tls-'));
	const key = join(directory, 'key.pem');
	const cert = join(directory, 'cert.pem');
	execFileSync(
		'openssl',
		[
			'req',
			'-x509',
			'-newkey',
			'rsa:2048',
			'-nodes',
			'-days',
			'1',
			'-subj',
			'/CN=127.0.0.1',
			'-keyout',
			key,
			'-out',
			cert,
		],
		{stdio: 'ignore'},
	);
	const server = createHttpsServer(
		{key: readFileSync(key), cert: readFileSync(cert)},
		(_request, response) => {
			response.end('{}');
		},
	);
	const port = await listening(server);
	return {
		url: `https://127.0.0.1:${port}`,
		async close() {
			server.closeAllConnections();
			await closed(server);
		},
	};
}
