import type {Check} from '../../source/engine/check.js';
import {slugOf} from '../../source/github/client.js';
import {readHookRecords} from '../../source/github/hook-records.js';
import {lastDeliveryStatus, webhookUrlOf} from '../../source/github/webhook.js';

/** Server mode: the webhook this installation made got a 2xx for its latest delivery. */
export const webhookCheck: Check = {
	id: 'github.webhook',
	phase: 'github',
	title: 'Webhook last delivery 2xx',
	proves: 'GitHub’s latest delivery to the platform was accepted',
	runbookSection: 'github.webhook',
	installedBy: 'github.webhook',
	reach: 'github',
	when: input => input.mode === 'server' && webhookUrlOf(input) !== undefined,
	async run(context) {
		const {repo, token} = context.input.github;
		if (!repo || !token) {
			return {
				status: 'skipped',
				detail: 'no repository or token given (--repo and the token)',
			};
		}

		const gh = context.github();
		const records = await readHookRecords(gh);
		const record = records.byRepo[slugOf(gh)];
		if (!record) {
			return {
				status: 'absent',
				detail: 'no webhook made by this installation',
			};
		}

		const last = await lastDeliveryStatus(gh, record.id);
		if (!last) {
			return {status: 'failed', detail: `webhook ${record.id} has no delivery`};
		}

		const ok = last.statusCode >= 200 && last.statusCode < 300;
		return {
			status: ok ? 'ok' : 'failed',
			detail: `webhook ${record.id} → ${record.url}: last delivery (${last.event}) got ${last.statusCode}`,
		};
	},
};

export const githubChecks: readonly Check[] = [webhookCheck];
