import type {GitHub} from './client.js';
import {asUserError} from './errors.js';

export const webhookEvents = [
	'issues',
	'issue_comment',
	'pull_request',
	'pull_request_review',
	'push',
] as const;

/** Where this installation's webhook points: the platform behind the domain (server mode). */
export function webhookUrl(domain: string): string {
	return `https://${domain}/api/v1/webhooks/github`;
}

export type HookPlan =
	| {action: 'none'; id: number; stale: Stale[]}
	| {action: 'create'; stale: Stale[]}
	| {action: 'update'; id: number; reasons: string[]; stale: Stale[]};

/** A hook of an older URL of this installation (same path, other host), e.g. after a domain change. */
export type Stale = {id: number; url: string};

const ourPath = '/api/v1/webhooks/github';

/**
 * The secret is write-only on GitHub (it shows as `********`), so an existing hook is only updated
 * when URL, events, content type or TLS check differ, or when `secretChanged` says so.
 */
export async function planWebhook(
	gh: GitHub,
	url: string,
	secretChanged: boolean,
): Promise<HookPlan> {
	const hooks = await gh.api.paginate(gh.api.repos.listWebhooks, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 100,
	});
	const stale = hooks
		.filter(
			hook => hook.config.url !== url && hook.config.url?.endsWith(ourPath),
		)
		.map(hook => ({id: hook.id, url: hook.config.url ?? ''}));
	const hook = hooks.find(item => item.config.url === url);
	if (!hook) {
		return {action: 'create', stale};
	}

	const reasons: string[] = [];
	if (
		hook.events.toSorted().join(',') !== [...webhookEvents].toSorted().join(',')
	) {
		reasons.push('events');
	}

	if (hook.config.content_type !== 'json') {
		reasons.push('content type');
	}

	if (String(hook.config.insecure_ssl) !== '0') {
		reasons.push('TLS verification');
	}

	if (!hook.active) {
		reasons.push('inactive');
	}

	if (secretChanged || hook.config.secret === undefined) {
		reasons.push('secret');
	}

	return reasons.length === 0
		? {action: 'none', id: hook.id, stale}
		: {action: 'update', id: hook.id, reasons, stale};
}

export async function applyWebhook(
	gh: GitHub,
	plan: HookPlan,
	{
		url,
		secret,
		removeStale,
	}: {url: string; secret: string; removeStale?: boolean},
): Promise<number> {
	const {api, owner, repo} = gh;
	const config = {url, content_type: 'json', insecure_ssl: '0', secret};
	try {
		let id: number;
		if (plan.action === 'create') {
			const {data} = await api.repos.createWebhook({
				owner,
				repo,
				name: 'web',
				active: true,
				events: [...webhookEvents],
				config,
			});
			id = data.id;
		} else {
			id = plan.id;
			if (plan.action === 'update') {
				await api.repos.updateWebhook({
					owner,
					repo,
					hook_id: id,
					active: true,
					events: [...webhookEvents],
					config,
				});
			}
		}

		if (removeStale) {
			for (const stale of plan.stale) {
				// eslint-disable-next-line no-await-in-loop
				await api.repos.deleteWebhook({owner, repo, hook_id: stale.id});
			}
		}

		return id;
	} catch (error) {
		throw asUserError(error, 'Setting the repository webhook');
	}
}

export type PingResult = {ok: boolean; statusCode?: number; status?: string};

/** Asks GitHub to ping the hook, then reads the delivery's answer (polled: delivery is asynchronous). */
export async function pingWebhook(
	gh: GitHub,
	id: number,
	options: {attempts?: number; delayMs?: number} = {},
): Promise<PingResult> {
	const {api, owner, repo} = gh;
	await api.repos.pingWebhook({owner, repo, hook_id: id});
	const attempts = options.attempts ?? 10;
	for (let attempt = 0; attempt < attempts; attempt++) {
		// eslint-disable-next-line no-await-in-loop
		const {data} = await api.repos.listWebhookDeliveries({
			owner,
			repo,
			hook_id: id,
			per_page: 10,
		});
		const ping = data.find(delivery => delivery.event === 'ping');
		if (ping) {
			return {
				ok: ping.status_code >= 200 && ping.status_code < 300,
				statusCode: ping.status_code,
				status: ping.status,
			};
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, options.delayMs ?? 1000);
		});
	}

	return {ok: false};
}
