import {expandHome} from '../../source/config/tree.js';
import {sudoersUser} from '../../source/encode/index.js';
import {UserError} from '../../source/errors.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {parsePublicKeys, readText} from '../../source/local/key-files.js';
import {changes, fileChange, verifyConverged, sshCommand} from '../kit.js';
import {runHostScript} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {paths} from './paths.js';
import {existing, hostRemoval} from './removal.js';

/** Where the operator's public key text comes from; the lead wires the login key's public half. */
export type OperatorKeySource = (context: StepContext) => Promise<string>;

/**
 * Default: `--operator-key`, else the `.pub` next to `--identity`, else the public half of the key
 * this run logged in with (an ssh-agent key or a default ~/.ssh key): the key that already works.
 */
export const operatorKeyFromInput: OperatorKeySource = async ({
	input,
	local,
	host,
}) => {
	const file =
		input.operator.key ??
		(input.connection.identity
			? `${input.connection.identity}.pub`
			: undefined);
	if (file) {
		return readText(expandHome(file, local.home));
	}

	const loginPublicKey = host?.session.loginPublicKey;
	if (loginPublicKey) {
		return `${loginPublicKey}\n`;
	}

	throw new UserError('no public key for the operator user', {
		hint: 'Pass --operator-key ~/.ssh/id_ed25519.pub, or --identity with its .pub file next to it.',
	});
};

const blobOf = (line: string) =>
	line.split(/\s+/).find(part => /^A{4}[A-Za-z\d+/]+=*$/.test(part));

/** The key lines of `keyText` that `existing` (an authorized_keys text) does not hold yet. */
export function missingKeys(existing: string, keyText: string): string[] {
	const have = new Set(
		existing
			.split('\n')
			.map(line => blobOf(line.trim()))
			.filter(Boolean),
	);
	const wanted = parsePublicKeys(keyText);
	const result: string[] = [];
	for (const line of wanted) {
		const blob = blobOf(line);
		if (blob && !have.has(blob)) {
			have.add(blob);
			result.push(line);
		}
	}

	return result;
}

/** `existing` with the missing keys appended: the merge `apply` makes; other keys are kept. */
export function mergeAuthorizedKeys(existing: string, keyText: string): string {
	const added = missingKeys(existing, keyText);
	if (added.length === 0) {
		return existing;
	}

	const base =
		existing === '' || existing.endsWith('\n') ? existing : `${existing}\n`;
	return `${base}${added.join('\n')}\n`;
}

export const sudoersLine = (user: string) =>
	`${sudoersUser(user)} ALL=(ALL:ALL) NOPASSWD: ALL\n`;

export function operatorFinding(
	facts: HostFacts,
	user: string,
	keyText: string,
): Finding {
	const list: string[] = [];
	const home = facts.user?.home ?? `/home/${user}`;
	if (!facts.user) {
		list.push(
			`create user ${user} (home ${home}, no password, key login only)`,
		);
	}

	const added = missingKeys(facts.authorizedKeys ?? '', keyText);
	if (added.length > 0) {
		list.push(
			`add ${added.length} key${added.length === 1 ? '' : 's'} to ${home}/.ssh/authorized_keys (keys already there are kept)`,
		);
	}

	const group = facts.modes.get(home)?.split(':')[1] ?? user;
	const wantedModes: Array<[string, string, string?]> = [
		[home, '750'],
		[`${home}/.ssh`, '700', `${user}:${group}`],
		[`${home}/.ssh/authorized_keys`, '600', `${user}:${group}`],
		[paths.sudoers, '440', 'root:root'],
	];
	for (const [path, mode, owner] of wantedModes) {
		// Missing ones are created by the changes above.
		const have = facts.modes.get(path);
		const [haveMode, haveOwner] = have?.split(' ') ?? [];
		if (have && (haveMode !== mode || (owner && haveOwner !== owner))) {
			list.push(
				`set ${path} to ${mode} ${owner ?? ''} (now ${have})`.replace(
					'  ',
					' ',
				),
			);
		}
	}

	list.push(
		...fileChange(facts, paths.sudoers, sudoersLine(user)).map(
			line => `${line} (NOPASSWD sudo for ${user}, checked with visudo)`,
		),
	);
	return changes(list, Boolean(facts.user));
}

export function operatorUserStep(keySource: OperatorKeySource): Step {
	const step: Step = {
		id: 'host.operator-user',
		phase: 'host',
		title: 'Operator user',
		reach: 'host',
		probes: hostProbeSet,
		inputs: input => ({user: input.operator.user, key: input.operator.key}),
		runbook: input => ({
			check: [`${sshCommand(input)} 'id; sudo -n true && echo sudo works'`],
			fix: [
				`as root: sudo visudo -cf ${paths.sudoers}; append the operator's public key to ~${input.operator.user}/.ssh/authorized_keys (mode 600, owned by ${input.operator.user})`,
				'or run install again: keys already there are kept, the missing one is added',
			],
		}),
		remove: hostRemoval(
			'operator',
			(facts, input) => [
				...(facts.user
					? [
							`remove user ${input.operator.user} (its home directory ${facts.user.home} is kept)`,
						]
					: []),
				...existing(facts, [paths.sudoers]),
			],
			{
				keptUnless: 'operator',
				leaves: input => [
					`the home directory of ${input.operator.user}, with its files`,
				],
			},
		),
		describe: input => [
			`user ${input.operator.user} with a private home and key login only`,
			`the operator's public key is added to its authorized_keys; keys already there are kept`,
			`sudo without password through ${paths.sudoers}, checked with visudo first`,
		],
		async check(context) {
			let keyText: string;
			try {
				keyText = await keySource(context);
				parsePublicKeys(keyText);
			} catch (error) {
				return {
					kind: 'blocked',
					problem: `the operator's public key cannot be used: ${(error as Error).message}`,
					hint: 'Pass --operator-key with an OpenSSH public key file (.pub).',
				};
			}

			return operatorFinding(
				await hostFacts(context),
				context.input.operator.user,
				keyText,
			);
		},
		async apply(context) {
			const keyText = await keySource(context);
			const {user} = context.input.operator;
			await runHostScript(
				context,
				'operator-user',
				{
					USER_NAME: user,
					NEW_KEYS: parsePublicKeys(keyText).join('\n'),
					SUDOERS: sudoersLine(user).trimEnd(),
				},
				{readFacts: true},
			);
		},
		async verify(context) {
			await verifyConverged(step, context);
		},
	};
	return step;
}

export const operatorUser = operatorUserStep(operatorKeyFromInput);
