import {createHmac, randomUUID} from 'node:crypto';
import type {RepoState, StoredHook} from './state.js';

/**
 * A webhook delivery as GitHub makes it: a JSON POST to the hook's URL with the event, a delivery
 * id and, when the hook has a secret, `X-Hub-Signature-256` (HMAC-SHA256 of the body). What the
 * receiver answers is recorded; no answer is recorded as status 0, as GitHub shows it.
 */
export async function deliver(
	state: RepoState,
	hook: StoredHook,
	event: string,
	payload: Record<string, unknown>,
): Promise<void> {
	const id = state.nextId++;
	const body = JSON.stringify(payload);
	let statusCode = state.deliveryStatus ?? 0;
	if (state.deliveryStatus === undefined) {
		const signature: Record<string, string> = hook.config.secret
			? {
					'x-hub-signature-256': `sha256=${createHmac('sha256', hook.config.secret).update(body).digest('hex')}`,
				}
			: {};
		try {
			const response = await fetch(hook.config.url, {
				method: 'POST',
				headers: {
					'content-type': 'application/json',
					'user-agent': 'GitHub-Hookshot/stand-in',
					'x-github-event': event,
					'x-github-delivery': randomUUID(),
					'x-github-hook-id': String(hook.id),
					...signature,
				},
				body,
				signal: AbortSignal.timeout(10_000),
			});
			await response.body?.cancel();
			statusCode = response.status;
		} catch {}
	}

	state.deliveries.push({
		id,
		hookId: hook.id,
		event,
		statusCode,
		deliveredAt: new Date().toISOString(),
	});
}
