import type {GitHub} from './client.js';
import {statusOf} from './errors.js';
import {digestOf} from './secrets.js';

/**
 * Per repository (owner/name), the hook this installation made: its id, URL and an HMAC of its
 * secret (keyed by the token, like the secret digests). GitHub shows a hook's secret as
 * `********`, so this is how a changed secret is noticed, and how a hook left at an old URL is
 * known to be ours and safe to remove. Kept in a variable of the platform's repository.
 */
export const hookRecordVariable = 'CODEXK8S_INSTALLER_WEBHOOK';

export type HookRecord = {id: number; url: string; secret: string};

export type HookRecords = {
	byRepo: Record<string, HookRecord>;
	exists: boolean;
};

export const secretDigest = (gh: GitHub, secret: string) =>
	digestOf(gh.digestKey, 'webhook', secret);

export async function readHookRecords(gh: GitHub): Promise<HookRecords> {
	try {
		const {data} = await gh.api.actions.getRepoVariable({
			owner: gh.owner,
			repo: gh.repo,
			name: hookRecordVariable,
		});
		return {
			byRepo: JSON.parse(data.value) as Record<string, HookRecord>,
			exists: true,
		};
	} catch (error) {
		// Absent is a fact; GitHub unreachable is not an empty record (the hooks would be made again).
		if (statusOf(error) === 404 || error instanceof SyntaxError) {
			return {byRepo: {}, exists: false};
		}

		throw error;
	}
}

export async function writeHookRecords(
	gh: GitHub,
	records: HookRecords,
): Promise<void> {
	const variable = {
		owner: gh.owner,
		repo: gh.repo,
		name: hookRecordVariable,
		value: JSON.stringify(records.byRepo),
	};
	await (records.exists
		? gh.api.actions.updateRepoVariable(variable)
		: gh.api.actions.createRepoVariable(variable));
}
