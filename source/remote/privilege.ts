import {UsageError, UserError} from '../errors.js';
import type {Logger} from '../log.js';
import {describeTarget} from './target.js';
import {runRaw} from './exec.js';
import type {Link} from './link.js';
import type {Privilege, Prompter, Target} from './types.js';

/**
 * `command` as root. With a sudo password, the password is the first line of stdin: `-S` reads
 * it there (never argv), `-k` ignores cached credentials so sudo always reads exactly that line
 * and never leaves it for the command.
 */
export function asRoot(
	privilege: Privilege,
	command: string,
	password: string | undefined,
): {command: string; stdinPrefix: string} {
	switch (privilege) {
		case 'root': {
			return {command, stdinPrefix: ''};
		}

		case 'sudo': {
			return {command: `sudo -n ${command}`, stdinPrefix: ''};
		}

		case 'sudo-password': {
			return {
				command: `sudo -k -S -p '' ${command}`,
				stdinPrefix: `${password ?? ''}\n`,
			};
		}
	}
}

/** One round trip: who we are and what sudo allows without a password. */
export const privilegeProbe = [
	'if [ "$(id -u)" = 0 ]; then echo root; exit 0; fi',
	'command -v sudo >/dev/null 2>&1 || { echo no-sudo; exit 0; }',
	'if sudo -n true >/dev/null 2>&1; then echo sudo; exit 0; fi',
	'echo password; id -nG',
].join('\n');

export type ProbeOutcome =
	| {kind: Exclude<Privilege, 'sudo-password'>}
	| {kind: 'no-sudo'}
	/** Sudo wants a password; `admin` tells whether the user is in a sudo-granting group. */
	| {kind: 'password'; admin: boolean};

export function parsePrivilegeProbe(stdout: string): ProbeOutcome {
	const [first = '', groups = ''] = stdout.trim().split('\n');
	switch (first.trim()) {
		case 'root':
		case 'sudo':
		case 'no-sudo': {
			return {kind: first.trim() as 'root' | 'sudo' | 'no-sudo'};
		}

		case 'password': {
			const names = groups.trim().split(/\s+/);
			return {
				kind: 'password',
				admin: names.some(name => ['sudo', 'wheel', 'admin'].includes(name)),
			};
		}

		default: {
			throw new UserError(
				`could not tell how to become root on the host (got "${first.slice(0, 80)}")`,
				{hint: 'Is the login shell a POSIX shell (sh, bash)?'},
			);
		}
	}
}

const needRoot = (user: string) =>
	[
		`codex-k8s-install needs root on the host: log in as root (--user root), or let ${user} use sudo,`,
		`for example with "${user} ALL=(ALL) NOPASSWD:ALL" in /etc/sudoers.d/${user} (visudo -f).`,
	].join('\n');

export function noSudoError(user: string, where: string): UserError {
	return new UserError(
		`${user} is not root on ${where} and sudo is not installed there`,
		{hint: needRoot(user), runbookSection: 'Privileges on the host'},
	);
}

export function notSudoerError(user: string, where: string): UserError {
	return new UserError(`${user} is not in the sudoers file on ${where}`, {
		hint: needRoot(user),
		runbookSection: 'Privileges on the host',
	});
}

/** Sudo wants a password, none was given, and nobody can be asked. */
export function missingPasswordError(
	user: string,
	where: string,
	admin: boolean,
): UserError {
	if (admin) {
		return new UsageError(
			`sudo on ${where} asks ${user} for a password, and none was given`,
			[
				`Pass it in CODEXK8S_SUDO_PASSWORD (it is sent on stdin, never on a command line),`,
				`or run interactively to be asked once, or allow ${user} sudo without a password (NOPASSWD).`,
			].join('\n'),
		);
	}

	return new UserError(
		`${user} is not root on ${where} and may not use sudo without a password`,
		{
			hint: `${needRoot(user)}\nIf ${user} has a sudo rule that asks for a password, pass it in CODEXK8S_SUDO_PASSWORD.`,
			runbookSection: 'Privileges on the host',
		},
	);
}

/** What `sudo -k -S -p '' true` said when it failed. */
export function sudoPasswordFailure(
	stderr: string,
	user: string,
	where: string,
): UserError {
	if (
		/not in the sudoers|may not run sudo|not allowed to execute/i.test(stderr)
	) {
		return notSudoerError(user, where);
	}

	return new UserError(`sudo on ${where} rejected the password for ${user}`, {
		hint: 'Check CODEXK8S_SUDO_PASSWORD (or the password you typed) and run again.',
		runbookSection: 'Privileges on the host',
	});
}

const checkTimeoutMs = 30_000;

/**
 * How the login user becomes root: one round trip, plus one more to prove a sudo password. The
 * password is asked at most once and only ever sent on stdin.
 */
export async function detectPrivilege(
	link: Link,
	target: Target,
	givenPassword: string | undefined,
	options: {prompter?: Prompter; signal?: AbortSignal; log: Logger},
): Promise<{privilege: Privilege; password?: string}> {
	const where = describeTarget(target);
	// Only the login user's own processes can be stopped here: there is no root yet.
	const kill = async (pid: string) => {
		await runRaw(link, {
			command: `pkill -KILL -s ${pid}`,
			stdin: '',
			label: 'stopping the privilege check',
			options: {timeoutMs: 5000},
			kill: async () => undefined,
		});
	};

	const probe = await runRaw(link, {
		command: privilegeProbe,
		stdin: '',
		label: 'the privilege check',
		options: {timeoutMs: checkTimeoutMs, signal: options.signal},
		kill,
	});
	const outcome = parsePrivilegeProbe(probe.stdout);
	switch (outcome.kind) {
		case 'root':
		case 'sudo': {
			return {privilege: outcome.kind};
		}

		case 'no-sudo': {
			throw noSudoError(target.user, where);
		}

		case 'password': {
			break;
		}
	}

	let password = givenPassword;
	if (password === undefined) {
		if (!options.prompter) {
			throw missingPasswordError(target.user, where, outcome.admin);
		}

		password = await options.prompter.secret(
			`sudo password for ${target.user} on ${target.hostname}`,
		);
		options.log.addSecret(password);
	}

	const proof = await runRaw(link, {
		command: "sudo -k -S -p '' true",
		stdin: `${password}\n`,
		label: 'the sudo password check',
		options: {timeoutMs: checkTimeoutMs, signal: options.signal},
		kill,
	});
	if (proof.code !== 0) {
		throw sudoPasswordFailure(proof.stderr, target.user, where);
	}

	return {privilege: 'sudo-password', password};
}
