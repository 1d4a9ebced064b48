import {createHmac} from 'node:crypto';
import type {GitHub} from './client.js';
import {asUserError, statusOf} from './errors.js';

/**
 * Repository secrets. The deploy workflow reads the platform's secrets in the cluster (with the
 * runner pod's service account), so the installer writes none. Older versions wrote these, with
 * HMAC digests of their values in the variable below; a re-run says they are no longer used and
 * leaves them, `uninstall --remove github` deletes them.
 */
export const formerSecrets = [
	'CODEXK8S_GITHUB_PAT',
	'CODEXK8S_OPENAI_API_KEY',
	'CODEXK8S_OPENAI_AUTH_FILE',
	'CODEXK8S_GIT_BOT_TOKEN',
	'CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET',
	'CODEXK8S_CONTEXT7_API_KEY',
	'CODEXK8S_GITHUB_WEBHOOK_SECRET',
] as const;

export const digestVariable = 'CODEXK8S_INSTALLER_SECRET_DIGESTS';

/** Upstream's names before its rename to `CODEXK8S_*`: not this installer's, never deleted by it. */
export const legacySecrets = [
	'OPENAI_API_KEY',
	'CONTEXT7_API_KEY',
	'CODEXK8S_GITHUB_TOKEN',
	'CODEXK8S_GITHUB_USERNAME',
] as const;

/** A keyed digest (the token is the key, never stored): how a changed webhook secret is noticed. */
export function digestOf(key: string, name: string, value: string): string {
	return createHmac('sha256', key)
		.update(`${name}\0${value}`)
		.digest('base64url')
		.slice(0, 22);
}

/**
 * The names of the repository's secrets, or undefined when the token may not list them: the
 * installer needs no Secrets permission, so a refusal only means older secrets cannot be seen.
 */
export async function listedSecrets(gh: GitHub): Promise<string[] | undefined> {
	try {
		const listed = await gh.api.paginate(gh.api.actions.listRepoSecrets, {
			owner: gh.owner,
			repo: gh.repo,
			per_page: 100,
		});
		return listed.map(secret => secret.name);
	} catch (error) {
		const status = statusOf(error);
		if (status === 403 || status === 404) {
			return undefined;
		}

		throw asUserError(error, 'Listing the repository secrets');
	}
}

/** Secrets of earlier installs that nothing reads any more, found among `listed`. */
export function unusedSecrets(listed: readonly string[]): {
	former: string[];
	legacy: string[];
} {
	const present = new Set(listed);
	return {
		former: formerSecrets.filter(name => present.has(name)),
		legacy: legacySecrets.filter(name => present.has(name)),
	};
}
