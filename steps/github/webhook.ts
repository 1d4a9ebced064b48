import type {Input} from '../../source/config/schema.js';
import {UserError} from '../../source/engine/errors.js';
import type {Step} from '../../source/engine/step.js';
import {githubOf} from '../../source/github/context.js';
import {
	platformAnswers,
	waitForPlatform,
	type PlatformProbe,
} from '../../source/github/platform-probe.js';
import {
	applyWebhook,
	type HookPlan,
	pingWebhook,
	planWebhook,
	webhookEvents,
	webhookUrlOf,
} from '../../source/github/webhook.js';

export type WebhookOptions = {
	probe?: PlatformProbe;
	intervalMs?: number;
	pingDelayMs?: number;
};

function changesOf(plan: HookPlan, url: string): string[] {
	const hook = {
		create: [`create the webhook → ${url}`],
		update: [`update webhook ${plan.id}: ${plan.reasons.join(', ')}`],
		none:
			plan.lastFailure === undefined
				? []
				: [`webhook ${plan.id}: its last delivery got ${plan.lastFailure}`],
	}[plan.action];
	return [
		...hook,
		...plan.remove.map(
			old => `remove this installation’s old webhook ${old.id} → ${old.url}`,
		),
		'ask GitHub for a ping and check its delivery',
	];
}

const foreignNotes = (plan: HookPlan) =>
	plan.foreign.map(
		hook =>
			`webhook ${hook.id} → ${hook.url} was not made by this installation: kept (delete it in the repository’s webhook settings if nothing uses it)`,
	);

/**
 * Server mode. The hook is set only once the platform answers at its URL, so GitHub's first
 * delivery (the ping) reaches it: upstream made the hook first and its ping always failed. The
 * secret is the platform's own; until the platform phase generates it and keeps it in the
 * cluster, a platform that already runs is wired by giving it.
 */
export function webhookStep(options: WebhookOptions = {}): Step {
	const probe = options.probe ?? platformAnswers;
	const target = (input: Input) => ({
		url: webhookUrlOf(input) ?? '',
		secret: input.platform.webhookSecret,
	});
	return {
		id: 'github.webhook',
		phase: 'github',
		title: 'Repository webhook',
		reach: 'github',
		when: input => input.mode === 'server' && webhookUrlOf(input) !== undefined,
		inputs: input => webhookUrlOf(input),
		describe: input => [
			`points the repository webhook at ${webhookUrlOf(input) ?? 'the platform'} (${webhookEvents.join(', ')}) once the platform answers there`,
			'then asks GitHub for a ping and checks that the platform accepted it',
		],
		async check(context) {
			const {url, secret} = target(context.input);
			if (!secret) {
				return {
					kind: 'skipped',
					reason:
						'no webhook secret: the platform phase (a later version) makes one; to wire a platform that already runs, give its CODEXK8S_GITHUB_WEBHOOK_SECRET',
				};
			}

			const plan = await planWebhook(githubOf(context), {url, secret});
			const notes = foreignNotes(plan);
			if (
				plan.action === 'none' &&
				plan.remove.length === 0 &&
				plan.lastFailure === undefined
			) {
				return notes.length > 0
					? {kind: 'done', note: notes.join('\n')}
					: {kind: 'done'};
			}

			const waits = (await probe(url, context.signal))
				? []
				: [`wait for the platform to answer at ${url}`];
			return {
				kind: plan.action === 'create' ? 'new' : 'change',
				changes: [...waits, ...changesOf(plan, url), ...notes],
			};
		},
		async apply(context) {
			const {url, secret = ''} = target(context.input);
			const {timeouts} = context.input;
			const answers = await waitForPlatform(url, {
				probe,
				timeoutMs: timeouts.platform * 1000,
				intervalMs: options.intervalMs,
				signal: context.signal,
			});
			if (!answers) {
				throw new UserError(
					`The platform does not answer at ${url} (waited ${timeouts.platform} s)`,
					{
						hint: 'A delivery with a wrong signature must get 401 there. Check that the platform runs and the certificate of the domain is valid, then resume. The webhook is set only once it answers, so GitHub’s first delivery does not fail.',
					},
				);
			}

			const gh = githubOf(context);
			const id = await applyWebhook(gh, await planWebhook(gh, {url, secret}), {
				url,
				secret,
			});
			const ping = await pingWebhook(gh, id, {delayMs: options.pingDelayMs});
			if (!ping.ok) {
				throw new UserError(
					`GitHub’s ping to ${url} got ${ping.statusCode ?? 'no answer'}`,
					{
						hint:
							ping.statusCode === 401
								? 'The platform refused the signature: it runs with another webhook secret than CODEXK8S_GITHUB_WEBHOOK_SECRET.'
								: `See the delivery under the repository’s Settings → Webhooks → ${id}.`,
					},
				);
			}

			return `webhook ${id} → ${url}: ping delivered (${ping.statusCode})`;
		},
	};
}

export const githubWebhook = webhookStep();
