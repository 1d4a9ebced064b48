import type {Octokit} from '@octokit/rest';
import {InterruptedError} from '../errors.js';
import {sleep} from '../wait.js';
import {answered, GitHubFailure, GitHubRefusal, statusOf} from './errors.js';
import {
	GitHubUnreachable,
	networkProblem,
	shortProblem,
	worthRetrying,
} from './network.js';

/** Who is listening now: the step being checked or applied (its Ctrl-C and its progress lines). */
export type Listener = {
	signal?: AbortSignal;
	notify?: (line: string) => void;
};

export type RetryPolicy = {
	/** Pauses before each retry of an unanswered request or a 5xx answer. */
	delaysMs: readonly number[];
	/** How long one request may wait for GitHub's answer. */
	timeoutMs: number;
	apiUrl: string;
};

/** Brief, so a run fails in seconds when GitHub is away: three retries, 1 + 2 + 4 s apart. */
export const defaultDelaysMs = [1000, 2000, 4000] as const;

type Fetch = typeof globalThis.fetch;

type Attempt =
	| {kind: 'done'; value: unknown}
	| {kind: 'retry'; words: string; error: unknown}
	| {kind: 'fail'; error: unknown};

/**
 * Every request gets a timeout and the listener's abort signal; an answer GitHub gave (4xx) is
 * explained, never retried (a 409 is an answer, not a hiccup); no answer and 5xx are retried,
 * visibly, then reported as the network's or GitHub's failure. Once GitHub was found unreachable,
 * the run's later requests fail at once instead of waiting through the same retries again.
 */
export function addRetries(
	api: Octokit,
	policy: RetryPolicy,
	listener: Listener,
): void {
	let unreachable: GitHubUnreachable | undefined;
	const tries = policy.delaysMs.length + 1;
	const timeoutS = Math.round(policy.timeoutMs / 1000);

	api.hook.wrap('request', async (request, options) => {
		if (unreachable) {
			throw unreachable;
		}

		const fetchOnce = (options.request?.fetch ?? globalThis.fetch) as Fetch;
		for (let attempt = 1; ; attempt++) {
			const {signal, notify} = listener;
			// The time limit is per request sent, so the throttling plugin's wait before it resends a
			// rate-limited request does not count; it covers reading the answer too.
			const deadlines: Array<() => void> = [];
			const timedFetch: Fetch = async (url, init) => {
				const deadline = withTimeout(signal, policy.timeoutMs);
				deadlines.push(deadline.clear);
				return fetchOnce(url, {...init, signal: deadline.signal});
			};

			// Set in place: the hooks inside this one read the options object they were given first.
			options.request = {...options.request, fetch: timedFetch};
			// eslint-disable-next-line no-await-in-loop -- one try after the other
			const outcome = await once(async () => request(options)).finally(() => {
				for (const clear of deadlines) {
					clear();
				}
			});
			if (signal?.aborted) {
				throw new InterruptedError();
			}

			if (outcome.kind === 'done') {
				return outcome.value as Awaited<ReturnType<typeof request>>;
			}

			if (outcome.kind === 'retry' && attempt < tries) {
				const delay = policy.delaysMs[attempt - 1] ?? 0;
				notify?.(
					`${outcome.words}, retry ${attempt}/${tries - 1} in ${delay < 1000 ? `${delay} ms` : `${Math.round(delay / 1000)} s`}`,
				);
				// eslint-disable-next-line no-await-in-loop
				await sleep(delay, signal ?? new AbortController().signal);
				continue;
			}

			const {error} = outcome;
			if (answered(error)) {
				throw (statusOf(error) ?? 0) >= 500
					? new GitHubFailure(error, attempt)
					: error;
			}

			unreachable = new GitHubUnreachable(error, {
				apiUrl: policy.apiUrl,
				timeoutS,
				attempts: attempt,
			});
			throw unreachable;
		}
	});
}

async function once(send: () => Promise<unknown>): Promise<Attempt> {
	try {
		return {kind: 'done', value: await send()};
	} catch (error) {
		const status = statusOf(error) ?? 0;
		if (answered(error)) {
			if (status >= 500) {
				return {kind: 'retry', words: `GitHub answered ${status}`, error};
			}

			// Rate limits were the throttling plugin's to wait out; what is left is an answer.
			return {
				kind: 'fail',
				error: status >= 400 ? new GitHubRefusal(error) : error,
			};
		}

		const problem = networkProblem(error);
		return worthRetrying(problem)
			? {
					kind: 'retry',
					words: `GitHub unreachable (${shortProblem(problem)})`,
					error,
				}
			: {kind: 'fail', error};
	}
}

/**
 * The request's own signal: aborted by Ctrl-C or when the time is up. Not `AbortSignal.any` with
 * `AbortSignal.timeout`: Node 20 may collect the timeout's signal and the request then waits on.
 */
function withTimeout(
	signal: AbortSignal | undefined,
	timeoutMs: number,
): {signal: AbortSignal; clear: () => void} {
	const controller = new AbortController();
	const timer = setTimeout(() => {
		controller.abort(new DOMException('no answer in time', 'TimeoutError'));
	}, timeoutMs);
	const stop = () => {
		controller.abort(signal?.reason);
	};

	signal?.addEventListener('abort', stop, {once: true});
	return {
		signal: controller.signal,
		clear() {
			clearTimeout(timer);
			signal?.removeEventListener('abort', stop);
		},
	};
}
