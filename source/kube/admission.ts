import {UserError} from '../errors.js';
import {sleep} from '../wait.js';
import {ApiError} from './errors.js';

/** How long a write waits for an admission webhook that does not answer yet. */
export const webhookWaitMs = 120_000;

/**
 * The webhook the API server could not call, if that is why it refused. A chart registers its
 * webhook before the webhook's pod serves it (and before cert-manager's cainjector gives the API
 * server its CA): the first writes of the chart's own kinds are refused for a while.
 */
export function unreachableWebhook(error: unknown): string | undefined {
	if (!(error instanceof ApiError) || error.status !== 500) {
		return undefined;
	}

	return /failed calling webhook "([^"]+)"/.exec(error.message)?.[1];
}

/** Sends the write again while the only reason it is refused is a webhook that is still starting. */
export async function whileWebhooksStart<T>(
	send: () => Promise<T>,
	options: {limitMs?: number; signal?: AbortSignal},
): Promise<T> {
	const limitMs = options.limitMs ?? webhookWaitMs;
	const signal = options.signal ?? new AbortController().signal;
	const deadline = Date.now() + limitMs;
	for (let pause = 500; ; pause = Math.min(pause * 2, 5000)) {
		try {
			// eslint-disable-next-line no-await-in-loop -- again only after the webhook refused
			return await send();
		} catch (error) {
			const webhook = unreachableWebhook(error);
			if (!webhook) {
				throw error;
			}

			if (Date.now() + pause > deadline) {
				throw new UserError(
					`The API server could not call the admission webhook ${webhook} within ${Math.round(limitMs / 1000)} s`,
					{
						hint: "The webhook's pod is not serving yet: look at it with `kubectl get pods -A` and `kubectl get events -A`, then run again.",
						cause: error,
					},
				);
			}
		}

		// eslint-disable-next-line no-await-in-loop -- waiting for the webhook, Ctrl-C ends it
		await sleep(pause, signal);
	}
}
