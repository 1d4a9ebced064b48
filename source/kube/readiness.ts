import {UserError} from '../errors.js';
import {poll} from '../wait.js';
import type {Trouble} from './diagnose.js';

/** One line of a wait: what is waited for, how far it got, how long it took of how long. */
export type WaitProgress = {
	what: string;
	ready: number;
	total: number;
	elapsedMs: number;
	limitMs: number;
	/** Why it is not ready yet, when something says so. */
	note?: string;
};

export type WaitOptions = {
	/** Give up after this long. */
	limitMs: number;
	signal: AbortSignal;
	/** Called on every look: the steps pass their `output`, through `progressLine`. */
	progress?: (event: WaitProgress) => void;
	/** First pause between looks (it doubles up to 5 s); tests keep the default. */
	delayMs?: number;
};

/** What one look at the object found. */
export type Observation = Trouble & {
	ready: number;
	total: number;
	done: boolean;
};

const seconds = (ms: number) =>
	ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;

export function progressLine(event: WaitProgress): string {
	const note = event.note ? ` — ${event.note}` : '';
	return `${event.what}: ${event.ready} of ${event.total} ready (${seconds(event.elapsedMs)} of ${seconds(event.limitMs)})${note}`;
}

/**
 * Looks at an object until it is ready, reporting each look. A fault that waiting will not heal
 * (an image that cannot be pulled, a crash loop, a failed Job) ends the wait at once; at the time
 * limit the error says what was still missing.
 */
export async function waitUntilReady(
	what: string,
	look: () => Promise<Observation>,
	options: WaitOptions,
): Promise<void> {
	const started = Date.now();
	let last: Observation | undefined;
	const done = await poll(
		async () => {
			last = await look();
			options.progress?.({
				what,
				ready: last.ready,
				total: last.total,
				elapsedMs: Date.now() - started,
				limitMs: options.limitMs,
				note: last.fatal ?? last.pending,
			});
			if (last.fatal) {
				throw new UserError(`${what} failed: ${last.fatal}`, {
					hint: 'Fix the cause named above, then run again: finished work is kept.',
				});
			}

			return last.done ? true : undefined;
		},
		{
			delayMs: options.delayMs ?? 1000,
			maxDelayMs: 5000,
			timeoutMs: options.limitMs,
			signal: options.signal,
		},
	);
	if (!done) {
		const why = last?.pending ? `: ${last.pending}` : '';
		throw new UserError(
			`${what}: ${last?.ready ?? 0} of ${last?.total ?? '?'} ready after ${seconds(options.limitMs)}${why}`,
			{
				hint: 'Look at the named objects with kubectl describe; run again once they can be ready.',
			},
		);
	}
}
