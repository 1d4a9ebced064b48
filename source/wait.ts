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

export type PollOptions = {
	/** First wait between polls; it doubles up to `maxDelayMs`. */
	delayMs?: number;
	maxDelayMs?: number;
	/** Give up after this long. */
	timeoutMs: number;
	signal: AbortSignal;
};

/** Polls `probe` with a doubling pause until it returns a value or the time is up. */
export async function poll<T>(
	probe: () => Promise<T | undefined>,
	{delayMs = 2000, maxDelayMs = 30_000, timeoutMs, signal}: PollOptions,
): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	let delay = delayMs;
	for (;;) {
		// eslint-disable-next-line no-await-in-loop -- polling, one at a time
		const value = await probe();
		if (value !== undefined || Date.now() + delay > deadline) {
			return value;
		}

		// eslint-disable-next-line no-await-in-loop
		await sleep(delay, signal);
		delay = Math.min(delay * 2, maxDelayMs);
	}
}
