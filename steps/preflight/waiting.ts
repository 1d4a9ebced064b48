import {setTimeout as delay} from 'node:timers/promises';
import {InterruptedError} from '../../source/engine/errors.js';

/** M:ss, for countdowns while a step waits. */
export function formatDuration(seconds: number): string {
	const whole = Math.max(0, Math.ceil(seconds));
	return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

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
