import type {Input} from '../config/schema.js';
import type {GitHub} from './client.js';
import {asUserError} from './errors.js';
import {type HookRecord, secretDigest} from './hook-records.js';

export const webhookEvents = [
	'issue_comment',
	'issues',
	'pull_request',
	'pull_request_review',
	'pull_request_review_comment',
	'push',
] as const;

const ourPath = '/api/v1/webhooks/github';

/** Where GitHub delivers: the given URL, else the platform behind the domain (server mode). */
export function webhookUrlOf(input: Input): string | undefined {
	return (
		input.github.webhookUrl ??
		(input.domain ? `https://${input.domain}${ourPath}` : undefined)
	);
}

export type Hook = {id: number; url: string};

export type HookPlan = {
	action: 'none' | 'create' | 'update';
	/** The hook kept or updated (absent when one is created). */
	id?: number;
	reasons: string[];
	/** Hooks this installation made earlier for another URL: removed by `applyWebhook`. */
	remove: Hook[];
	/** Hooks to the platform's path on other hosts that this installation did not make: reported only. */
	foreign: Hook[];
	/** The status code of the hook's last delivery, when it failed (a refused ping, say). */
	lastFailure?: number;
};

export type HookTarget = {url: string; secret: string};

/** Read-only: what makes the repository's webhook point at `url` with `secret`. */
export async function planWebhook(
	gh: GitHub,
	{url, secret}: HookTarget,
	record: HookRecord | undefined,
): Promise<HookPlan> {
	const hooks = await gh.api.paginate(gh.api.repos.listWebhooks, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 100,
	});
	const exact = hooks.find(hook => hook.config.url === url);
	const recorded = hooks.find(hook => hook.id === record?.id);
	const target = exact ?? recorded;
	const asHook = (hook: (typeof hooks)[number]) => ({
		id: hook.id,
		url: hook.config.url ?? '',
	});
	const remove = recorded && recorded !== target ? [asHook(recorded)] : [];
	const foreign = hooks
		.filter(
			hook =>
				hook !== target &&
				hook !== recorded &&
				hook.config.url?.endsWith(ourPath),
		)
		.map(hook => asHook(hook));
	const digest = secretDigest(gh, secret);
	const reasons: string[] = [];
	if (target) {
		const sorted = (events: readonly string[]) => events.toSorted().join(',');
		const checks: Array<[boolean, string]> = [
			[target.config.url !== url, `URL (was ${target.config.url ?? 'none'})`],
			[sorted(target.events) !== sorted(webhookEvents), 'events'],
			[target.config.content_type !== 'json', 'content type'],
			[String(target.config.insecure_ssl) !== '0', 'TLS verification'],
			[!target.active, 'inactive'],
			[record?.id !== target.id || record.secret !== digest, 'secret'],
		];
		reasons.push(
			...checks.filter(([differs]) => differs).map(([, why]) => why),
		);
	}

	const last = target?.last_response.code;
	return {
		action: target ? (reasons.length > 0 ? 'update' : 'none') : 'create',
		...(typeof last === 'number' && (last < 200 || last >= 300)
			? {lastFailure: last}
			: {}),
		id: target?.id,
		reasons,
		remove,
		foreign,
	};
}

/** Makes the planned change and returns the record of the hook as it now is. */
export async function applyWebhook(
	gh: GitHub,
	plan: HookPlan,
	{url, secret}: HookTarget,
): Promise<HookRecord> {
	const {api, owner, repo} = gh;
	const config = {url, content_type: 'json', insecure_ssl: '0', secret};
	const hook = {active: true, events: [...webhookEvents], config};
	try {
		let {id} = plan;
		if (plan.action === 'create' || id === undefined) {
			const {data} = await api.repos.createWebhook({
				owner,
				repo,
				name: 'web',
				...hook,
			});
			id = data.id;
		} else if (plan.action === 'update') {
			await api.repos.updateWebhook({owner, repo, hook_id: id, ...hook});
		}

		for (const old of plan.remove) {
			// eslint-disable-next-line no-await-in-loop -- GitHub asks for writes one at a time
			await api.repos.deleteWebhook({owner, repo, hook_id: old.id});
		}

		return {id, url, secret: secretDigest(gh, secret)};
	} catch (error) {
		throw asUserError(error, `Setting the webhook of ${owner}/${repo}`);
	}
}

export type PingResult = {ok: boolean; statusCode?: number; status?: string};

/**
 * Asks GitHub to ping the hook, then waits for that ping's delivery (GitHub delivers
 * asynchronously); an older ping of the same hook does not count.
 */
export async function pingWebhook(
	gh: GitHub,
	id: number,
	options: {attempts?: number; delayMs?: number} = {},
): Promise<PingResult> {
	const {api, owner, repo} = gh;
	const deliveries = async () => {
		const {data} = await api.repos.listWebhookDeliveries({
			owner,
			repo,
			hook_id: id,
			per_page: 30,
		});
		return data;
	};

	const earlier = await deliveries();
	const before = new Set(earlier.map(delivery => delivery.id));
	await api.repos.pingWebhook({owner, repo, hook_id: id});
	for (let attempt = 0; attempt < (options.attempts ?? 15); attempt++) {
		// eslint-disable-next-line no-await-in-loop -- polling, one at a time
		const latest = await deliveries();
		const ping = latest.find(
			delivery => delivery.event === 'ping' && !before.has(delivery.id),
		);
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

/** The status code of the hook's latest delivery, or undefined when it has none yet. */
export async function lastDeliveryStatus(
	gh: GitHub,
	id: number,
): Promise<{statusCode: number; event: string} | undefined> {
	const {data} = await gh.api.repos.listWebhookDeliveries({
		owner: gh.owner,
		repo: gh.repo,
		hook_id: id,
		per_page: 1,
	});
	const latest = data[0];
	return latest && {statusCode: latest.status_code, event: latest.event};
}
