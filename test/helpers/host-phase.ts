import {inputSchema, type Input} from '../../source/config/schema.js';
import {openHost} from '../../source/engine/host.js';
import {createLogger} from '../../source/log.js';
import {githubForRun} from '../../source/github/context.js';
import {type RunResult, runSteps} from '../../source/engine/runner.js';
import type {Step, StepContext} from '../../source/engine/step.js';
import {connect} from '../../source/remote/connect.js';
import type {RemoteSession} from '../../source/remote/types.js';
import {hostSteps} from '../../steps/host/index.js';
import type {Guest} from './guest/index.js';
import {makeKeyPair} from './keys.js';
import {guestConnection, memoryLogger, temporaryHome} from './remote.js';

export type KeyPair = {path: string; publicPath: string};

export const operatorKeyPair = (): KeyPair => makeKeyPair();

/** A home for the SSH layer (known_hosts) shared by the sessions of one test file. */
const home = temporaryHome();
process.once('exit', () => {
	home.dispose();
});

/** A session made by the real SSH layer, as `user` with `key` (root with the harness key by default). */
export async function guestSession(
	guest: Guest,
	user = 'root',
	key = guest.rootKeyPath,
): Promise<RemoteSession> {
	return connect(
		{connection: guestConnection(guest, home.home, {user, identity: key})},
		{log: memoryLogger(), home: home.home, env: {}},
	);
}

/** Root over real SSH to the guest, as the installer's first session is. */
export async function rootSession(guest: Guest): Promise<RemoteSession> {
	return guestSession(guest);
}

/** A NEW connection as `user` with `key`, closed again; `command` runs first when given. */
export async function loginAs(
	guest: Guest,
	user: string,
	key: string,
	command = 'true',
): Promise<{code: number; stdout: string; stderr: string}> {
	const session = await guestSession(guest, user, key);
	try {
		return await session.exec(command);
	} finally {
		await session.close();
	}
}

/** What the lead wires to `connect()`: a real second login as the operator (or root). */
export const guestLoginVerifier =
	(guest: Guest, operatorKey: KeyPair) =>
	async (user: string): Promise<void> => {
		const key = user === 'root' ? guest.rootKeyPath : operatorKey.path;
		const result = await loginAs(guest, user, key);
		if (result.code !== 0) {
			throw new Error(`login as ${user} ran but \`true\` failed`);
		}
	};

export function guestInput(
	guest: Guest,
	operatorKey: KeyPair,
	overrides: Record<string, unknown> = {},
): Input {
	return inputSchema.parse({
		connection: {
			host: guest.address,
			port: guest.port,
			user: 'root',
			identity: guest.rootKeyPath,
		},
		operator: {key: operatorKey.publicPath},
		mode: 'local',
		proxy: {http: guest.aptProxyUrl},
		...overrides,
	});
}

export function hostContext(
	session: RemoteSession,
	input: Input,
	lines: string[] = [],
	verifyLogin?: (user: string) => Promise<void>,
): StepContext {
	const log = createLogger();
	return {
		input,
		signal: new AbortController().signal,
		log,
		github: githubForRun(input, log),
		phases: ['host'],
		host: openHost(session, verifyLogin),
		output(line) {
			lines.push(line);
		},
		local: {nodeVersion: process.versions.node, home: '/nonexistent-home'},
	};
}

export async function runHostPhase(
	session: RemoteSession,
	input: Input,
	options: {
		steps?: readonly Step[];
		dryRun?: boolean;
		lines?: string[];
		verifyLogin?: (user: string) => Promise<void>;
	} = {},
): Promise<RunResult> {
	const {output: _, ...base} = hostContext(
		session,
		input,
		options.lines,
		options.verifyLogin,
	);
	const steps = (options.steps ?? hostSteps).filter(
		step => !step.when || step.when(input),
	);
	return runSteps(steps, base, {
		command: 'install',
		dryRun: options.dryRun ?? false,
		sink() {},
	});
}

/** Hashes of every file under /etc and the package list: what "made no change" is judged by. */
export async function hostSnapshot(guest: Guest): Promise<string> {
	const result = await guest.exec(
		String.raw`find /etc -xdev -type f -print0 | sort -z | xargs -0 sha256sum; find /etc -xdev -printf "%p %m %u %g\n" | sort; dpkg -l`,
	);
	return result.stdout;
}
