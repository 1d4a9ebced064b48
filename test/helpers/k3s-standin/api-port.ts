import {connect} from 'node:net';
import type {Guest} from '../guest/index.js';

/** Whether a TCP connection from this machine (outside the guest) to `address:port` is accepted. */
export async function reachableFromOutside(
	address: string,
	port: number,
): Promise<boolean> {
	return new Promise(resolve => {
		const socket = connect({host: address, port, timeout: 3000});
		socket.once('connect', () => {
			socket.destroy();
			resolve(true);
		});
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
		socket.once('error', () => {
			resolve(false);
		});
	});
}

/**
 * A real k3s serves its API on every address (port 6443); the stand-in's API server listens on
 * 127.0.0.1 only. A second sshd on the guest's own address stands in for that listener, so what
 * keeps 6443 closed from outside is shown to be the host firewall, not the stand-in's loopback.
 * Resolves once it accepts connections inside the guest.
 */
export async function listenOnGuestAddress(
	guest: Guest,
	port: number,
): Promise<boolean> {
	const started = await guest.exec(
		`/usr/sbin/sshd -o ListenAddress=${guest.address}:${port} -o PidFile=/run/sshd-${port}.pid`,
	);
	if (started.code !== 0) {
		return false;
	}

	for (let attempt = 0; attempt < 100; attempt++) {
		// eslint-disable-next-line no-await-in-loop -- until it listens
		const inside = await guest.exec(
			`timeout 2 bash -c 'exec 3<>/dev/tcp/${guest.address}/${port}'`,
		);
		if (inside.code === 0) {
			return true;
		}
	}

	return false;
}
