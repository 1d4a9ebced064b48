import type {Input} from '../../source/config/schema.js';
import type {Keepable, Removal} from '../../source/engine/step.js';
import {runHostScript} from './common.js';
import {type HostFacts, hostFacts} from './facts.js';

/**
 * A host step's removal: `present` says from the phase's facts what is left of the step's work
 * (nothing: a second uninstall changes nothing); assets/scripts/host/remove.sh takes it back.
 */
export function hostRemoval(
	what: string,
	present: (facts: HostFacts, input: Input) => string[],
	options: {keptUnless?: Keepable; leaves?: (input: Input) => string[]} = {},
): Removal {
	return {
		...options,
		async check(context) {
			return present(await hostFacts(context), context.input);
		},
		async apply(context) {
			await runHostScript(context, 'remove', {
				WHAT: what,
				USER_NAME: context.input.operator.user,
			});
		},
	};
}

/** `remove PATH` for each of `paths` that exists. */
export const existing = (facts: HostFacts, paths: readonly string[]) =>
	paths
		.filter(path => facts.files.get(path) !== undefined)
		.map(path => `remove ${path}`);
