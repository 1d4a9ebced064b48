import {poll} from '../../../source/wait.js';

/** Waits until `probe` returns a value (a state, polled) and returns it; throws after `timeoutMs`. */
export async function waitFor<T>(
	what: string,
	probe: () => T | undefined | Promise<T | undefined>,
	timeoutMs = 90_000,
): Promise<T> {
	const value = await poll(async () => probe(), {
		delayMs: 100,
		maxDelayMs: 1000,
		timeoutMs,
		signal: new AbortController().signal,
	});
	if (value === undefined) {
		throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
	}

	return value;
}
