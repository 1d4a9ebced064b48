import type {Known} from '../config/required.js';
import type {Input} from '../config/schema.js';
import {fingerprintStep} from '../engine/fingerprint.js';
import type {StateReader} from '../engine/state-file.js';
import type {Step} from '../engine/step.js';

/** The step that writes the platform's Secrets (steps/platform/secrets.ts). */
const secretsStepId = 'platform.secrets';

/**
 * What this computer's record says before connecting: an earlier run completed platform.secrets
 * on this target for the same namespace, so the cluster keeps the secrets only the operator knows
 * and they are not asked again. Uninstalling k3s forgets that completion (uninstall.ts). A record
 * that is wrong (the cluster lost them) is caught by platform.secrets itself: blocked, with the fix.
 */
export function knownOf(
	store: StateReader,
	key: string | undefined,
	input: Input,
	registry: readonly Step[],
): Known {
	const step = registry.find(each => each.id === secretsStepId);
	const recorded = key ? store.completions(key).get(secretsStepId) : undefined;
	return {
		platformSecretsKept: Boolean(
			step && recorded && recorded === fingerprintStep(step, input),
		),
	};
}
