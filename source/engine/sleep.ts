import {setTimeout as delay} from 'node:timers/promises';
import {InterruptedError} from './errors.js';

/** A pause that Ctrl-C ends at once. */
export async function sleep(
	milliseconds: number,
	signal: AbortSignal,
): Promise<void> {
	try {
		await delay(milliseconds, undefined, {signal});
	} catch (error) {
		if (signal.aborted) {
			throw new InterruptedError();
		}

		throw error;
	}
}
