import {UserError} from '../errors.js';
import type {Client} from './ssh2.js';

/** One live SSH connection, and what happened to it. */
export type Link = {
	readonly client: Client;
	roundTrips: number;
	/** Why the connection is gone, once it is (undefined while it lives or after `close`). */
	lostError(): UserError | undefined;
	assertAlive(): void;
	/** Calls back once if the connection is lost; returns the unsubscribe function. */
	onLost(callback: (error: UserError) => void): () => void;
	close(): Promise<void>;
};

export function watchLink(
	client: Client,
	where: string,
	dispose: () => void,
): Link {
	let lost: UserError | undefined;
	let closing = false;
	let closed = false;
	const watchers = new Set<(error: UserError) => void>();
	const closedPromise = new Promise<void>(resolve => {
		client.once('close', () => {
			closed = true;
			resolve();
		});
	});

	const markLost = (reason: string) => {
		if (lost !== undefined || closing) {
			return;
		}

		lost = new UserError(
			`the SSH connection to ${where} was lost (${reason})`,
			{
				hint: 'Check the network and that the host is up, then run `codex-k8s-install resume` to continue where it stopped.',
				runbookSection: 'Connecting to the host',
			},
		);
		for (const watcher of watchers) {
			watcher(lost);
		}

		watchers.clear();
	};

	client.on('error', (error: Error & {level?: string}) => {
		markLost(
			error.message === 'Keepalive timeout'
				? 'no answer to keepalives'
				: error.message,
		);
	});
	client.on('close', () => {
		markLost('closed by the other side');
	});

	return {
		client,
		roundTrips: 0,
		lostError: () => lost,
		assertAlive() {
			if (lost) {
				throw lost;
			}

			if (closing) {
				throw new UserError(`the SSH connection to ${where} is closed`);
			}
		},
		onLost(callback) {
			if (lost) {
				callback(lost);
				return () => undefined;
			}

			watchers.add(callback);
			return () => {
				watchers.delete(callback);
			};
		},
		async close() {
			closing = true;
			if (!closed) {
				dispose();
				await closedPromise;
			}
		},
	};
}
