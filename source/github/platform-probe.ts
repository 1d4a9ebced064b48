import {poll} from '../wait.js';

/**
 * A delivery with a wrong signature must get exactly 401: that proves the app itself answers
 * (not an ingress 404 or a 502 while it starts) and that the path is not behind the login.
 */
export async function platformAnswers(
	url: string,
	signal?: AbortSignal,
): Promise<boolean> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: {
				'content-type': 'application/json',
				'x-github-event': 'ping',
				'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
			},
			body: '{}',
			redirect: 'manual',
			signal: AbortSignal.any([
				AbortSignal.timeout(5000),
				...(signal ? [signal] : []),
			]),
		});
		await response.body?.cancel();
		return response.status === 401;
	} catch {
		return false;
	}
}

/** Polls until the platform answers, every `intervalMs`; false when `timeoutMs` passes first. */
export async function waitForPlatform(
	url: string,
	{
		timeoutMs,
		intervalMs = 5000,
		signal,
	}: {timeoutMs: number; intervalMs?: number; signal: AbortSignal},
): Promise<boolean> {
	const answered = await poll(
		async () => ((await platformAnswers(url, signal)) ? true : undefined),
		{delayMs: intervalMs, maxDelayMs: intervalMs, timeoutMs, signal},
	);
	return answered ?? false;
}
