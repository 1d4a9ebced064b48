import {createHash} from 'node:crypto';
import {EventEmitter} from 'node:events';
import {NodeSSH} from 'node-ssh';
import type {Guest} from './with-guest.js';

export type RootSsh = {ssh: NodeSSH; close(): Promise<void>};

/**
 * A root SSH session to the guest that pins its host key. `close` waits for the socket to
 * really close: a session still closing when its guest is torn down gets a late ECONNRESET,
 * which node-ssh would raise as an uncaught exception.
 */
export async function connectRoot(
	guest: Pick<Guest, 'address' | 'port' | 'rootKeyPath' | 'hostKeyFingerprint'>,
	readyTimeout = 10_000,
): Promise<RootSsh> {
	const ssh = new NodeSSH();
	await ssh.connect({
		host: guest.address,
		port: guest.port,
		username: 'root',
		privateKeyPath: guest.rootKeyPath,
		readyTimeout,
		hostVerifier(key: Uint8Array) {
			const digest = createHash('sha256').update(key).digest('base64');
			return (
				`SHA256:${digest.replace(/=+$/v, '')}` === guest.hostKeyFingerprint
			);
		},
	});
	// Typed loosely by node-ssh (no ssh2 types installed); it is an EventEmitter.
	const client: unknown = ssh.connection;
	const connection = client instanceof EventEmitter ? client : undefined;
	connection?.on('error', () => {
		// Errors after the session is established surface in the commands that use it.
	});
	return {
		ssh,
		async close() {
			if (!connection) {
				return;
			}

			const closed = new Promise<void>(resolve => {
				connection.once('close', () => {
					resolve();
				});
			});
			ssh.dispose();
			await closed;
		},
	};
}
