import type {Logger} from '../log.js';
import {UserError} from '../errors.js';
import {authError, lockedKeyError} from './auth-errors.js';
import {describeTarget} from './target.js';
import {type AuthPlan, planAuth} from './auth.js';
import type {HandshakeOutcome, Timing} from './hop.js';
import {appendKnownHost, fingerprint} from './known-hosts.js';
import type {Link} from './link.js';
import type {Prompter, Target} from './types.js';

/** What one connect() call carries from hop to hop and attempt to attempt. */
export type Context = {
	options: {
		prompter?: Prompter;
		log: Logger;
		env: NodeJS.ProcessEnv;
		home: string;
		signal?: AbortSignal;
	};
	timing: Timing;
	knownHostsPath: string;
	expected?: string;
	/** The key passphrase, once known: asked at most once for all hops and attempts. */
	secrets: {keyPassphrase?: string};
	links: Link[];
};

export type Hop = {
	target: Target;
	via?: {link: Link; name: string};
	/** Set when this hop is a ProxyJump for the named target. */
	jumpFor?: string;
};

export type Connected = {link: Link; fingerprint: string; publicKey?: string};

async function unlockKeys(context: Context, locked: string[]): Promise<void> {
	const {prompter, log} = context.options;
	if (!prompter) {
		throw lockedKeyError(locked);
	}

	const passphrase = await prompter.secret(`Passphrase for ${locked[0]}`);
	log.addSecret(passphrase);
	context.secrets.keyPassphrase = passphrase;
}

export async function planFor(
	target: Target,
	context: Context,
): Promise<AuthPlan> {
	const plan = async () =>
		planAuth(target, {
			env: context.options.env,
			home: context.options.home,
			passphrase: context.secrets.keyPassphrase,
		});
	const first = await plan();
	if (
		first.methods.length > 0 ||
		first.locked.length === 0 ||
		context.secrets.keyPassphrase !== undefined
	) {
		return first;
	}

	// Nothing else to offer: ask for the passphrase before connecting rather than after.
	await unlockKeys(context, first.locked);
	return plan();
}

/** What to do after a handshake: done, or try again now that an answer was given. */
export async function settle(
	outcome: HandshakeOutcome,
	{target}: Hop,
	plan: AuthPlan,
	context: Context,
): Promise<Connected | 'again'> {
	const {prompter, log} = context.options;
	switch (outcome.kind) {
		case 'ready': {
			if (outcome.decision.kind === 'record') {
				await appendKnownHost(
					context.knownHostsPath,
					target.hostname,
					target.port,
					outcome.key,
				);
			}

			const print = fingerprint(outcome.key);
			log.info(
				`SSH: host key ${print} verified; logged in with ${outcome.method ?? 'a key'}`,
			);
			return {
				link: outcome.link,
				fingerprint: print,
				publicKey: outcome.publicKey,
			};
		}

		case 'host-key': {
			const {decision} = outcome;
			if (decision.kind === 'refuse') {
				throw decision.error;
			}

			if (decision.kind !== 'ask' || !prompter) {
				throw new Error(`unexpected host key decision ${decision.kind}`);
			}

			if (!(await prompter.confirm(decision.question))) {
				throw new UserError(
					`the host key of ${describeTarget(target)} was not trusted, so nothing was done`,
				);
			}

			await appendKnownHost(
				context.knownHostsPath,
				target.hostname,
				target.port,
				outcome.key,
			);
			return 'again';
		}

		case 'auth-failed': {
			if (
				plan.locked.length > 0 &&
				context.secrets.keyPassphrase === undefined
			) {
				await unlockKeys(context, plan.locked);
				return 'again';
			}

			throw authError(target, plan, outcome.tried, outcome.refusedMethods);
		}
	}
}
