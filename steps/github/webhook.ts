import type {Step} from '../../source/engine/step.js';
import {githubOf} from '../../source/github/context.js';
import {
	applyWebhook,
	pingWebhook,
	planWebhook,
	webhookUrl,
} from '../../source/github/webhook.js';

/**
 * Server mode only, and only once the platform answers at its URL: a hook made earlier gets a
 * failed first ping (upstream's ordering bug). The platform phase, which provides the webhook
 * secret and the running app, does not exist yet, so until it does this step reports `blocked`
 * (platform not answering) or `skipped` (no secret yet) and is not in the registry.
 */
export type PlatformProbe = (url: string) => Promise<boolean>;

export async function platformAnswers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, {
			method: 'GET',
			signal: AbortSignal.timeout(5000),
		});
		// The webhook endpoint refuses an unsigned GET; any HTTP answer means the app is up.
		return response.status < 500;
	} catch {
		return false;
	}
}

export function webhookStep(
	secretOf: () => string | undefined,
	answers: PlatformProbe = platformAnswers,
): Step {
	return {
		id: 'github.webhook',
		phase: 'github',
		title: 'Repository webhook',
		reach: 'github',
		when: input => input.mode === 'server' && Boolean(input.domain),
		describe: input => [
			`points the repository webhook at ${webhookUrl(input.domain ?? 'the domain')} once the platform answers there, then checks GitHub’s ping delivery`,
		],
		async check(context) {
			const url = webhookUrl(context.input.domain ?? '');
			const secret = secretOf();
			if (!secret) {
				return {
					kind: 'skipped',
					reason:
						'the webhook secret comes from the platform phase, which is not available yet',
				};
			}

			if (!(await answers(url))) {
				return {
					kind: 'blocked',
					problem: `the platform does not answer at ${url} yet`,
					hint: 'The webhook is created only after the platform is up, so GitHub’s first ping succeeds.',
				};
			}

			const plan = await planWebhook(githubOf(context), url, false);
			const stale = plan.stale.map(
				hook =>
					`old hook ${hook.id} → ${hook.url} (remove with uninstall or by hand)`,
			);
			if (plan.action === 'none') {
				return stale.length > 0
					? {kind: 'done', note: stale.join('\n')}
					: {kind: 'done'};
			}

			return {
				kind: plan.action === 'create' ? 'new' : 'change',
				changes: [`${plan.action} webhook ${url}`, ...stale],
			};
		},
		async apply(context) {
			const gh = githubOf(context);
			const url = webhookUrl(context.input.domain ?? '');
			const id = await applyWebhook(gh, await planWebhook(gh, url, false), {
				url,
				secret: secretOf() ?? '',
			});
			const ping = await pingWebhook(gh, id);
			if (!ping.ok) {
				throw new Error(
					`GitHub's ping to ${url} got ${ping.statusCode ?? 'no answer'}`,
				);
			}

			context.output(`webhook ${id} ping delivered: ${ping.statusCode}`);
		},
	};
}
