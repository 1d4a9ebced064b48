import {createServer, connect, type Server, type Socket} from 'node:net';

/** Sends every chunk `delayMs` late, in order (a fixed one-way delay, as netem's `delay`). */
function delayed(from: Socket, to: Socket, delayMs: number): void {
	from.on('data', (chunk: Uint8Array) => {
		setTimeout(() => {
			if (!to.destroyed) {
				to.write(chunk);
			}
		}, delayMs);
	});
	from.on('end', () => {
		setTimeout(() => {
			to.end();
		}, delayMs);
	});
	from.on('error', () => {
		to.destroy();
	});
}

/** A TCP relay on 127.0.0.1 adding `roundTripMs` to every round trip to `host:port`. */
export async function startLatencyRelay(
	host: string,
	port: number,
	roundTripMs: number,
): Promise<{port: number; close(): Promise<void>}> {
	const sockets = new Set<Socket>();
	const server: Server = createServer(client => {
		const upstream = connect({host, port});
		client.setNoDelay(true);
		upstream.setNoDelay(true);
		for (const socket of [client, upstream]) {
			sockets.add(socket);
			socket.once('close', () => {
				sockets.delete(socket);
			});
		}

		delayed(client, upstream, roundTripMs / 2);
		delayed(upstream, client, roundTripMs / 2);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	if (address === null || typeof address === 'string') {
		throw new Error('the relay has no TCP port');
	}

	return {
		port: address.port,
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise(resolve => {
				server.close(resolve);
			});
		},
	};
}
