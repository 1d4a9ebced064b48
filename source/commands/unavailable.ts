import {UserError} from '../errors.js';
import type {CommandModule} from './index.js';

/** A command whose capability is not built yet says so, rather than pretending. */
export function unavailable(
	command: string,
	arrivesWith: string,
): CommandModule {
	return {
		async run() {
			throw new UserError(
				`\`${command}\` is not available in this version yet`,
				{
					hint: `It arrives with ${arrivesWith}. \`codex-k8s-install plan\` shows what this version does.`,
				},
			);
		},
	};
}
