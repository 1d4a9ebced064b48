import {sshdWord} from '../../source/encode/index.js';
import {UserError} from '../../source/errors.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {changes, fileChange, verifyConverged, sshCommand} from '../kit.js';
import {runHostScript, sshPorts} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {paths} from './paths.js';
import {sshReloadPlan} from './ssh-units.js';
import {
	getLoginVerifier,
	type LoginVerifier,
	proofMarker,
	proveNewLogin,
} from './login-proof.js';
import {existing, hostRemoval} from './removal.js';

export {type LoginVerifier, proofMarker} from './login-proof.js';

export type RootLogin = 'prohibit-password' | 'no';

export function sshDropIn(rootLogin: RootLogin = 'prohibit-password'): string {
	return [
		'# codex-k8s-install: key-only logins. Named 00- so it is read before cloud-image',
		'# drop-ins such as 50-cloud-init.conf: for sshd the first value read wins.',
		'PasswordAuthentication no',
		'KbdInteractiveAuthentication no',
		`PermitRootLogin ${sshdWord(rootLogin)}`,
		'PubkeyAuthentication yes',
		'',
	].join('\n');
}

/** What `sshd -T` must show; OpenSSH before 9.x prints prohibit-password as without-password. */
function effectiveProblems(facts: HostFacts, rootLogin: RootLogin): string[] {
	const wanted: Array<[string, string[]]> = [
		['passwordauthentication', ['no']],
		['kbdinteractiveauthentication', ['no']],
		[
			'permitrootlogin',
			rootLogin === 'no' ? ['no'] : ['prohibit-password', 'without-password'],
		],
		['pubkeyauthentication', ['yes']],
	];
	return wanted
		.filter(
			([key, values]) => !values.includes(facts.sshd?.get(key)?.[0] ?? ''),
		)
		.map(([key]) => `${key} is ${facts.sshd?.get(key)?.[0] ?? 'unknown'}`);
}

export function sshHardeningFinding(
	facts: HostFacts,
	user: string,
	rootLogin: RootLogin,
): Finding {
	const dropIn = sshDropIn(rootLogin);
	const list = fileChange(facts, paths.sshDropIn, dropIn).map(
		line => `${line} (key-only logins; validated with sshd -t)`,
	);
	const proven = facts.files.get(paths.sshProven) === proofMarker(dropIn);
	if (list.length > 0 || !proven) {
		list.push(`reload sshd and prove a new login as ${user} before going on`);
		return changes(list, facts.files.get(paths.sshDropIn) !== undefined);
	}

	const problems = effectiveProblems(facts, rootLogin);
	if (problems.length > 0) {
		return {
			kind: 'blocked',
			problem: `sshd does not apply ${paths.sshDropIn}: ${problems.join(', ')}`,
			hint: 'Check that /etc/ssh/sshd_config includes /etc/ssh/sshd_config.d/*.conf before its own settings, and that no Match block overrides them (sshd -T shows the result).',
		};
	}

	return {kind: 'done'};
}

export type SshHardeningOptions = {
	verifyLogin?: LoginVerifier;
	/** `no` only once the operator user is proven and the installer no longer logs in as root. */
	rootLogin?: RootLogin;
	loginTimeoutMs?: number;
	/** When the login is not proven by then (the connection was lost), the host undoes the change. */
	undoSeconds?: number;
};

export function sshHardeningStep(options: SshHardeningOptions = {}): Step {
	const rootLogin = options.rootLogin ?? 'prohibit-password';
	const verifier = (context: StepContext) =>
		options.verifyLogin ?? getLoginVerifier(context);
	const step: Step = {
		id: 'host.ssh-hardening',
		phase: 'host',
		title: 'SSH hardening',
		reach: 'host',
		probes: hostProbeSet,
		inputs: input => ({user: input.operator.user, rootLogin}),
		runbook: input => ({
			check: [
				`${sshCommand(input)} 'sudo sshd -T | grep -Ei "^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin|pubkeyauthentication)"'`,
				`expected: passwordauthentication no, kbdinteractiveauthentication no, permitrootlogin ${rootLogin === 'no' ? 'no' : 'prohibit-password (or without-password)'}, pubkeyauthentication yes`,
			],
			fix: [
				`sudo sshd -t && sudo systemctl reload ssh   (after editing ${paths.sshDropIn})`,
				'locked out: see "Lost SSH access" below; run install again to put the drop-in back (a new login is proven first)',
			],
		}),
		remove: hostRemoval(
			'ssh-hardening',
			facts =>
				existing(facts, [paths.sshDropIn, paths.sshProven]).length > 0
					? [`remove ${paths.sshDropIn} and reload sshd`]
					: [],
			{keptUnless: 'hardening'},
		),
		describe: input => [
			`${paths.sshDropIn}: no passwords, keys only, root ${rootLogin === 'no' ? 'cannot log in' : 'by key only'}`,
			'sshd -t validates it before sshd reloads; the port in use is not changed',
			`a second, new login as ${input.operator.user} must succeed before going on; otherwise the change is rolled back`,
		],
		async check(context) {
			const facts = await hostFacts(context);
			// What install does: the proof login is the command's wiring, not a fact about the host.
			return sshHardeningFinding(facts, context.input.operator.user, rootLogin);
		},
		async apply(context) {
			await harden(context, {
				rootLogin,
				verifyLogin: verifier(context),
				loginTimeoutMs: options.loginTimeoutMs,
				undoSeconds: options.undoSeconds,
			});
		},
		async verify(context) {
			await verifyConverged(step, context);
		},
	};
	return step;
}

async function harden(
	context: StepContext,
	{
		rootLogin,
		verifyLogin,
		loginTimeoutMs = 20_000,
		undoSeconds = 120,
	}: {
		rootLogin: RootLogin;
		verifyLogin: LoginVerifier | undefined;
		loginTimeoutMs?: number;
		undoSeconds?: number;
	},
): Promise<void> {
	if (!verifyLogin) {
		throw new Error('SSH hardening needs a login verifier');
	}

	const facts = await hostFacts(context);
	const reload = sshReloadPlan(facts.units);
	if (!reload.ok) {
		throw new UserError(`cannot reload sshd: ${reload.problem}`);
	}

	const {user} = context.input.operator;
	const previous = facts.files.get(paths.sshDropIn);
	const dropIn = sshDropIn(rootLogin);
	const commands = reload.commands.join('\n');
	context.output(reload.note);
	await runHostScript(context, 'ssh-hardening', {
		ACTION: 'apply',
		DROP_IN: dropIn.trimEnd(),
		RELOAD: commands,
		PORTS: sshPorts(facts).join(' '),
		UNDO_SECONDS: String(undoSeconds),
	});
	context.output(`proving a new login as ${user}`);
	await proveNewLogin({
		what: 'SSH hardening',
		user,
		verifyLogin,
		timeoutMs: loginTimeoutMs,
		undoSeconds,
		rollBack: async () =>
			runHostScript(
				context,
				'ssh-hardening',
				{
					ACTION: 'rollback',
					DROP_IN: previous?.trimEnd() ?? '',
					HAD_PREVIOUS: previous === undefined ? 'no' : 'yes',
					RELOAD: commands,
					PORTS: sshPorts(facts).join(' '),
				},
				{evenWhenStopping: true},
			),
		rolledBack: error =>
			new UserError(
				`SSH hardening rolled back: a new login as ${user} failed after sshd reloaded (${error.message})`,
				{
					hint: `The host is as it was before this step; this session stayed open. Check that ${user} can log in with its key (ssh ${user}@host) and that no AllowUsers/DenyUsers or Match rule excludes it, then run again.`,
					cause: error,
				},
			),
	});
	await runHostScript(
		context,
		'ssh-hardening',
		{ACTION: 'prove', MARKER: proofMarker(dropIn).trimEnd()},
		{readFacts: true},
	);
	context.output(`a new login as ${user} works with the hardened sshd`);
}

export const sshHardening = sshHardeningStep();
