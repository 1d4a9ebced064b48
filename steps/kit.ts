import type {Host} from '../source/engine/host.js';
import type {StepContext} from '../source/engine/step.js';

/** The host of a `host` step; the engine always connects before checking one. */
export function hostOf(context: StepContext): Host {
	if (!context.host) {
		throw new Error('a host step ran without an SSH session');
	}

	return context.host;
}
