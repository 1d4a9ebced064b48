import {homedir} from 'node:os';
import type {Invocation} from '../cli.js';
import type {Prompter, RemoteSession} from '../remote/types.js';
import type {Session} from './session.js';

export type RemoteRun = {
	remote: RemoteSession;
	/** Proves that a new login as `user` works (lockout-safe SSH hardening). */
	verifyLogin: (user: string) => Promise<void>;
	close(): Promise<void>;
};

/** Screens for the SSH layer's questions; Ink is loaded only when one is asked. */
function screenPrompter(streams: Invocation['streams']): Prompter {
	const load = async () => {
		const {inkPrompter} = await import('../ui/ink-prompter.js');
		return inkPrompter(streams);
	};

	return {
		async confirm(question) {
			const prompter = await load();
			return prompter.confirm(question);
		},
		async secret(question) {
			const prompter = await load();
			return prompter.secret(question);
		},
	};
}

const promptFor = (invocation: Invocation): Prompter | undefined =>
	invocation.interactive ? screenPrompter(invocation.streams) : undefined;

/**
 * Answers are asked once per run: the proof logins after the firewall and SSH hardening need the
 * same passphrase or sudo password as the first connection, and must not ask again.
 */
export function rememberAnswers(
	prompter: Prompter | undefined,
): Prompter | undefined {
	if (!prompter) {
		return undefined;
	}

	const secrets = new Map<string, Promise<string>>();
	return {
		confirm: async question => prompter.confirm(question),
		async secret(question) {
			const answer = secrets.get(question) ?? prompter.secret(question);
			secrets.set(question, answer);
			return answer;
		},
	};
}

/**
 * The SSH connection of a run, when any chosen step works on the host. Host key trust, the key
 * passphrase and the sudo password are asked here, before the task tree starts, never inside it.
 */
export async function openRemote(
	session: Session,
	invocation: Invocation,
	signal: AbortSignal,
): Promise<RemoteRun | undefined> {
	if (!session.steps.some(step => step.reach === 'host')) {
		return undefined;
	}

	const {connect} = await import('../remote/connect.js');
	const options = {
		prompter: rememberAnswers(promptFor(invocation)),
		signal,
		log: session.log,
		home: invocation.env['HOME'] ?? homedir(),
		env: invocation.env,
	};
	const remote = await connect(session.input, options);
	return {
		remote,
		async verifyLogin(user) {
			const probe = await connect(
				{connection: {...session.input.connection, user}},
				options,
			);
			try {
				await probe.exec('true');
			} finally {
				await probe.close();
			}
		},
		close: async () => remote.close(),
	};
}

/** Hold the host lock for the run; a second installer on the same host is refused. */
export async function lockHost(
	remote: RemoteSession,
	invocation: Invocation,
): Promise<{release(): Promise<void>}> {
	const {acquireLock} = await import('../remote/lock.js');
	return acquireLock(remote, {
		command: invocation.command,
		force: Boolean(invocation.flags['forceUnlock']),
		prompter: promptFor(invocation),
	});
}
