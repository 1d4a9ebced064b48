import {connect} from 'node:net';

/**
 * How a TCP port of the host looks from this computer: `open` (a connection was accepted),
 * `refused` (the host answered that nothing listens: not filtered, but not exposed either) or
 * `filtered` (no answer within the time: a firewall dropped it).
 */
export type PortState = 'open' | 'refused' | 'filtered';

async function portState(
	host: string,
	port: number,
	timeoutMs: number,
): Promise<PortState> {
	return new Promise(resolve => {
		const socket = connect({host, port});
		const done = (state: PortState) => {
			socket.destroy();
			resolve(state);
		};

		socket.setTimeout(timeoutMs, () => {
			done('filtered');
		});
		socket.once('connect', () => {
			done('open');
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			done(error.code === 'ECONNREFUSED' ? 'refused' : 'filtered');
		});
	});
}

/** Every port at once; the whole probe takes about `timeoutMs`. */
export async function probePorts(
	host: string,
	ports: readonly number[],
	timeoutMs = 2000,
): Promise<Map<number, PortState>> {
	const states = await Promise.all(
		ports.map(async port => portState(host, port, timeoutMs)),
	);
	return new Map(ports.map((port, index) => [port, states[index]!]));
}
