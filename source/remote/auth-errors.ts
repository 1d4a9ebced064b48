import {join} from 'node:path';
import {UsageError, UserError} from '../errors.js';
import {type AuthPlan, defaultKeyNames} from './auth.js';
import {describeTarget} from './target.js';
import type {Target} from './types.js';

const runbookSection = 'Connecting to the host';

/** Every key was offered and refused (or the server takes no keys at all). */
export function authError(
	target: Target,
	plan: AuthPlan,
	tried: string[],
	refusedMethods?: string[],
): UserError {
	const who = `${target.user}@${describeTarget(target)}`;
	if (refusedMethods) {
		return new UserError(
			`${who} accepts no SSH keys (only: ${refusedMethods.join(', ')})`,
			{
				hint: "codex-k8s-install logs in with SSH keys: add your public key to the user's ~/.ssh/authorized_keys on the host.",
				runbookSection,
			},
		);
	}

	const lines = [
		...tried.map(label => `tried: ${label}`),
		...plan.skipped.map(reason => `not used: ${reason}`),
		`Check that the public key is in ~${target.user}/.ssh/authorized_keys on the host, or pass --identity FILE / --user NAME.`,
	];
	return new UserError(`${who} refused every SSH key offered`, {
		hint: lines.join('\n'),
		runbookSection,
	});
}

/** Nothing at all to offer: no agent, no usable key file. */
export function noKeysError(
	target: Target,
	plan: AuthPlan,
	home: string,
): UserError {
	if (plan.skipped.length > 0) {
		return authError(target, plan, []);
	}

	const defaults = defaultKeyNames
		.map(name => join(home, '.ssh', name))
		.join(', ');
	return new UsageError(
		`no SSH key to log in to ${describeTarget(target)} with: no ssh-agent (SSH_AUTH_SOCK) and none of ${defaults}`,
		'Pass --identity FILE (or CODEXK8S_SSH_IDENTITY), start ssh-agent and ssh-add a key, or set IdentityFile in ~/.ssh/config.',
	);
}

/** An encrypted key, no passphrase, nobody to ask. */
export function lockedKeyError(locked: string[]): UsageError {
	return new UsageError(
		`the SSH key ${locked.join(', ')} is encrypted and no passphrase was given`,
		[
			'Pass the passphrase in CODEXK8S_SSH_KEY_PASSPHRASE (kept in memory only, never written),',
			'load the key into ssh-agent first (ssh-add), or run interactively to be asked once.',
		].join('\n'),
	);
}
