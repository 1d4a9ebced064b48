import {createHmac} from 'node:crypto';
import sodium from 'libsodium-wrappers';
import type {Input} from '../config/schema.js';
import type {GitHub} from './client.js';
import {asUserError} from './errors.js';

/**
 * Actions secrets. GitHub never gives a secret's value back, so to rewrite a secret only when its
 * source changed we keep, per secret, an HMAC of its value in the repository variable below.
 * The HMAC key is the GitHub token itself: it is never stored, so the variable reveals nothing
 * to someone who can read variables but does not hold the token; a new token means one rewrite.
 */
export const digestVariable = 'CODEXK8S_INSTALLER_SECRET_DIGESTS';

export const legacySecrets = [
	'OPENAI_API_KEY',
	'CONTEXT7_API_KEY',
	'CODEXK8S_GITHUB_TOKEN',
	'CODEXK8S_GITHUB_USERNAME',
] as const;

/** The secrets this installation owns, from the input (generated ones join with the platform phase). */
export function desiredSecrets(input: Input): Map<string, string> {
	const {platform, github} = input;
	const entries: Array<[string, string | undefined]> = [
		['CODEXK8S_GITHUB_PAT', github.token],
		['CODEXK8S_OPENAI_API_KEY', platform.openaiApiKey],
		['CODEXK8S_OPENAI_AUTH_FILE', platform.openaiAuthFile],
		['CODEXK8S_GIT_BOT_TOKEN', platform.gitBotToken],
		['CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET', platform.oauthClientSecret],
		['CODEXK8S_CONTEXT7_API_KEY', platform.context7ApiKey],
		['CODEXK8S_GITHUB_WEBHOOK_SECRET', platform.webhookSecret],
	];
	return new Map(
		entries.filter((entry): entry is [string, string] => Boolean(entry[1])),
	);
}

export function digestOf(key: string, name: string, value: string): string {
	return createHmac('sha256', key)
		.update(`${name}\0${value}`)
		.digest('base64url')
		.slice(0, 22);
}

export type SecretPlan = {
	write: string[];
	remove: string[];
	/** The digest variable's new value, when it changes. */
	digests?: string;
	digestsExist: boolean;
};

async function digestsOf(
	gh: GitHub,
): Promise<Record<string, string> | undefined> {
	try {
		const {data} = await gh.api.actions.getRepoVariable({
			owner: gh.owner,
			repo: gh.repo,
			name: digestVariable,
		});
		return JSON.parse(data.value) as Record<string, string>;
	} catch {
		return undefined;
	}
}

/** Read-only: which secrets to write or remove. */
export async function planSecrets(
	gh: GitHub,
	desired: Map<string, string>,
): Promise<SecretPlan> {
	const listed = await gh.api.paginate(gh.api.actions.listRepoSecrets, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 100,
	});
	const existing = new Set(listed.map(secret => secret.name));
	const stored = await digestsOf(gh);
	const digests: Record<string, string> = {};
	const write: string[] = [];
	for (const [name, value] of desired) {
		digests[name] = digestOf(gh.digestKey, name, value);
		if (!existing.has(name) || stored?.[name] !== digests[name]) {
			write.push(name);
		}
	}

	const remove = legacySecrets.filter(name => existing.has(name));
	const text = JSON.stringify(digests);
	return {
		write,
		remove,
		digests: JSON.stringify(stored) === text ? undefined : text,
		digestsExist: stored !== undefined,
	};
}

export async function sealFor(
	publicKey: string,
	value: string,
): Promise<string> {
	await sodium.ready;
	const sealed = sodium.crypto_box_seal(
		sodium.from_string(value),
		sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL),
	);
	return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL);
}

export async function applySecrets(
	gh: GitHub,
	desired: Map<string, string>,
	plan: SecretPlan,
): Promise<void> {
	const {owner, repo, api} = gh;
	try {
		if (plan.write.length > 0) {
			const {data: key} = await api.actions.getRepoPublicKey({owner, repo});
			for (const name of plan.write) {
				// Sequential: GitHub asks for mutating requests one at a time.
				// eslint-disable-next-line no-await-in-loop
				const encrypted_value = await sealFor(key.key, desired.get(name)!);
				// eslint-disable-next-line no-await-in-loop
				await api.actions.createOrUpdateRepoSecret({
					owner,
					repo,
					secret_name: name,
					encrypted_value,
					key_id: key.key_id,
				});
			}
		}

		for (const name of plan.remove) {
			// eslint-disable-next-line no-await-in-loop
			await api.actions.deleteRepoSecret({owner, repo, secret_name: name});
		}

		if (plan.digests !== undefined) {
			await (plan.digestsExist
				? api.actions.updateRepoVariable({
						owner,
						repo,
						name: digestVariable,
						value: plan.digests,
					})
				: api.actions.createRepoVariable({
						owner,
						repo,
						name: digestVariable,
						value: plan.digests,
					}));
		}
	} catch (error) {
		throw asUserError(error, 'Writing the repository secrets');
	}
}
