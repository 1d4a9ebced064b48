import type {Logger} from '../log.js';
import {runRaw} from './exec.js';
import {describeTarget} from './auth-errors.js';
import type {Link} from './link.js';
import {
	missingPasswordError,
	noSudoError,
	parsePrivilegeProbe,
	privilegeProbe,
	sudoPasswordFailure,
} from './privilege.js';
import type {Privilege, Prompter, Target} from './types.js';

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
