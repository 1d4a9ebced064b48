import type {Prompter, RemoteSession} from '../remote/types.js';
import {phases, type Phase} from '../config/schema.js';
import {type Host, openHost} from '../engine/host.js';
import type {StepContextBase} from '../engine/runner.js';
import type {Reach} from '../engine/step.js';
import type {Waits} from '../report/waits.js';
import type {Session} from './session.js';
import type {Invocation} from './index.js';

export type RemoteRun = {
	/** The run's own login, with the proof of a new login (lockout-safe SSH hardening). */
	host: Host;
	/**
	 * The host as `user` for the work after the host phase, when the run logged in as root;
	 * otherwise (or when that login fails, which the log says) the run's own.
	 */
	loginAs(user: string): Promise<Host>;
	close(): Promise<void>;
};

/** Steps that reach the host or its cluster (whose API is reached through SSH). */
const overSsh = (reach: Reach) => reach === 'host' || reach === 'cluster';

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

/** What is drawn while waiting, taken off the screen while a question is on it. */
export type Aside = Pick<Waits, 'pause' | 'resume'>;

function promptFor(
	invocation: Invocation,
	aside?: Aside,
): Prompter | undefined {
	if (!invocation.interactive) {
		return undefined;
	}

	const prompter = screenPrompter(invocation.streams);
	const asking = async <T>(question: () => Promise<T>) => {
		aside?.pause();
		try {
			return await question();
		} finally {
			aside?.resume();
		}
	};

	return {
		confirm: async question => asking(async () => prompter.confirm(question)),
		secret: async question => asking(async () => prompter.secret(question)),
	};
}

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

/** Whether any chosen step works on the host: only then does the run connect. */
export const reachesHost = (session: Session): boolean =>
	session.steps.some(step => overSsh(step.reach));

/**
 * The SSH connection of a run, when any chosen step works on the host. Host key trust, the key
 * passphrase and the sudo password are asked here, before the task tree starts, never inside it.
 */
export async function openRemote(
	session: Session,
	invocation: Invocation,
	signal: AbortSignal,
	aside?: Aside,
): Promise<RemoteRun | undefined> {
	if (!reachesHost(session)) {
		return undefined;
	}

	const {connect} = await import('../remote/connect.js');
	const options = {
		prompter: rememberAnswers(promptFor(invocation, aside)),
		signal,
		log: session.log,
		home: session.home,
		env: invocation.env,
	};
	const remote = await connect(session.input, options);
	const verifyLogin = async (user: string) => {
		const probe = await connect(
			{connection: {...session.input.connection, user}},
			options,
		);
		try {
			await probe.exec('true');
		} finally {
			await probe.close();
		}
	};

	const host = openHost(remote, verifyLogin);
	const others = new Map<string, Promise<Host>>();
	const connectOrStay = async (user: string): Promise<Host> => {
		try {
			const other = await connect(
				{connection: {...session.input.connection, user}},
				options,
			);
			return openHost(other, verifyLogin);
		} catch (error) {
			session.log.warn(
				`SSH: could not log in as ${user} (${(error as Error).message}); going on as ${remote.target.user}`,
			);
			return host;
		}
	};

	return {
		host,
		async loginAs(user) {
			if (remote.target.user !== 'root' || user === 'root') {
				return host;
			}

			let other = others.get(user);
			if (!other) {
				other = connectOrStay(user);
				others.set(user, other);
			}

			return other;
		},
		async close() {
			for (const other of others.values()) {
				// eslint-disable-next-line no-await-in-loop -- a session or two; connectOrStay never rejects
				const {session} = await other;
				if (session !== remote) {
					// eslint-disable-next-line no-await-in-loop
					await session.close();
				}
			}

			await remote.close();
		},
	};
}

/** Hold the host lock for the run; a second installer on the same host is refused. */
export async function lockHost(
	remote: RemoteSession,
	invocation: Invocation,
	aside?: Aside,
): Promise<{release(): Promise<void>}> {
	const {acquireLock} = await import('../remote/lock.js');
	return acquireLock(remote, {
		command: invocation.command,
		force: Boolean(invocation.flags['forceUnlock']),
		prompter: promptFor(invocation, aside),
	});
}

/**
 * The later phases' work goes through the operator user, not root, once the host phase made it
 * (sudo without password, key login proven): their steps get the operator's host.
 */
export function operatorForLaterPhases(
	session: Session,
	run: RemoteRun | undefined,
): (phase: Phase, base: StepContextBase) => Promise<StepContextBase> {
	return async (phase, base) => {
		const later = phases.indexOf(phase) > phases.indexOf('host');
		const phaseOverSsh = session.steps.some(
			step => step.phase === phase && overSsh(step.reach),
		);
		return run && later && phaseOverSsh
			? {...base, host: await run.loginAs(session.input.operator.user)}
			: base;
	};
}
