import {createHash} from 'node:crypto';
import {InterruptedError, UserError} from '../../source/errors.js';
import type {StepContext} from '../../source/engine/step.js';

/** Opens a NEW SSH connection as `user` and resolves once it is logged in; rejects otherwise. */
export type LoginVerifier = (user: string) => Promise<void>;

/** The context's verifier, wired by the install command to the SSH layer's `connect`. */
export function getLoginVerifier(
	context: StepContext,
): LoginVerifier | undefined {
	return context.host?.verifyLogin;
}

/** Retried until `ms` passed: right after a reload sshd may still be re-executing itself. */
export async function retryLogin(
	attempt: () => Promise<void>,
	ms: number,
	pauseMs = 500,
): Promise<void> {
	const deadline = Date.now() + ms;
	for (;;) {
		try {
			// eslint-disable-next-line no-await-in-loop
			await attempt();
			return;
		} catch (error) {
			if (
				error instanceof InterruptedError ||
				Date.now() + pauseMs >= deadline
			) {
				throw error;
			}
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, pauseMs);
		});
	}
}

/** What a proof file holds: the hash of the configuration a new login was proven with. */
export const proofMarker = (configuration: string) =>
	`${createHash('sha256').update(configuration).digest('hex')}\n`;

export type Proof = {
	/** The change, as error messages name it: "SSH hardening", "Firewall". */
	what: string;
	user: string;
	verifyLogin: LoginVerifier;
	timeoutMs: number;
	/** When the host undoes the change by itself (its dead man's switch, armed by the apply). */
	undoSeconds: number;
	rollBack: () => Promise<unknown>;
	/** The error once the new login failed and the change was rolled back. */
	rolledBack: (error: Error) => UserError;
};

/**
 * A new login must succeed before a change that could shut the installer out stays. Otherwise it
 * is rolled back, a Ctrl-C included; when even that is impossible (the connection is gone), the
 * host's own timer undoes it.
 */
export async function proveNewLogin(proof: Proof): Promise<void> {
	try {
		await retryLogin(
			async () => proof.verifyLogin(proof.user),
			proof.timeoutMs,
		);
	} catch (error) {
		try {
			await proof.rollBack();
		} catch (rollbackError) {
			throw new UserError(
				`${proof.what}: the connection was lost before a new login as ${proof.user} was proven, so the change could not be rolled back from here (${(rollbackError as Error).message})`,
				{
					hint: `The host undoes it by itself ${proof.undoSeconds} s after the change. Then run \`codex-k8s-install resume\`.`,
					cause: rollbackError,
				},
			);
		}

		if (error instanceof InterruptedError) {
			throw error;
		}

		throw proof.rolledBack(error as Error);
	}
}
