import type {Input} from '../../../source/config/schema.js';
import {type Host, openHost} from '../../../source/engine/host.js';
import {createLogger} from '../../../source/log.js';
import {connect} from '../../../source/remote/connect.js';
import type {RemoteSession} from '../../../source/remote/types.js';
import {baseInput} from '../../helpers/fake-steps.js';
import type {Guest} from '../../helpers/guest/index.js';
import {guestConnection, tempHome} from '../../helpers/remote.js';

export type GuestSession = {
	session: RemoteSession;
	/** The session's host handle: the steps given it share one read of the facts. */
	host: Host;
	input: Input;
	/** Closes the SSH connection (idempotent) and removes the temporary home. */
	dispose(): Promise<void>;
};

/** A real session from `connect()` to the guest, as root, host key pinned by fingerprint. */
export async function openSession(
	guest: Guest,
	overrides: Record<string, unknown> = {},
): Promise<GuestSession> {
	const home = tempHome();
	const input = baseInput({
		connection: guestConnection(guest, home.home),
		...overrides,
	});
	const session = await connect(input, {
		log: createLogger(),
		home: home.home,
		env: {},
	});
	let closed: Promise<void> | undefined;
	return {
		session,
		host: openHost(session),
		input,
		async dispose() {
			closed ??= session.close();
			await closed;
			home.dispose();
		},
	};
}

/** Starts `command` in the background inside the guest, detached; resolves with its pid. */
export async function startInGuest(
	guest: Guest,
	command: string,
): Promise<number> {
	const {stdout, code, stderr} = await guest.exec(
		`setsid ${command} </dev/null >/dev/null 2>&1 & echo $!`,
	);
	if (code !== 0) {
		throw new Error(`could not start ${command}: ${stderr}`);
	}

	return Number(stdout.trim());
}
