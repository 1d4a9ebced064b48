import type {Input} from '../config/schema.js';
import {UserError} from '../errors.js';
import type {GitHub} from './client.js';
import {asUserError} from './errors.js';
import {labelVariables} from './labels.js';
import {webhookEvents, webhookUrlOf} from './webhook.js';

export const legacyVariables = [
	'STAGING_NAMESPACE',
	'STAGING_DOMAIN',
	'POSTGRES_DB',
	'POSTGRES_USER',
	'LEARNING_MODE_DEFAULT',
	'RUNNER_NAMESPACE',
	'RUNNER_SCALE_SET_NAME',
	'RUNNER_MIN',
	'RUNNER_MAX',
	'RUNNER_IMAGE',
	'CODEXK8S_GITHUB_USERNAME',
	'CODEXK8S_IMAGE',
	'CODEXK8S_INTERNAL_IMAGE_REPOSITORY',
] as const;

/** Name → value; an empty value means "delete it" (GitHub refuses empty variables). */
export type Variables = Map<string, string>;

export function checkName(name: string): void {
	if (name.toUpperCase().startsWith('GITHUB_')) {
		throw new UserError(`Variable ${name} cannot be set`, {
			hint: 'Names starting with GITHUB_ are reserved by GitHub Actions; this installer uses the CODEXK8S_ prefix.',
		});
	}

	if (!name.startsWith('CODEXK8S_')) {
		throw new UserError(`Variable ${name} is not one of this installer’s`, {
			hint: 'Every variable the installer manages starts with CODEXK8S_.',
		});
	}
}

export function desiredVariables(input: Input): Variables {
	const {platform, runner, mode, domain} = input;
	const server = mode === 'server' && domain;
	const entries: Array<[string, string | undefined]> = [
		['CODEXK8S_STAGING_NAMESPACE', platform.namespace],
		['CODEXK8S_STAGING_RUNNER', runner.scaleSetName],
		['CODEXK8S_RUNNER_SCALE_SET_NAME', runner.scaleSetName],
		['CODEXK8S_RUNNER_NAMESPACE', runner.namespace],
		['CODEXK8S_STAGING_DOMAIN', server ? domain : ''],
		['CODEXK8S_PUBLIC_BASE_URL', server ? `https://${domain}` : ''],
		['CODEXK8S_GITHUB_WEBHOOK_URL', server ? webhookUrlOf(input) : ''],
		['CODEXK8S_GITHUB_WEBHOOK_EVENTS', webhookEvents.join(',')],
		['CODEXK8S_BOOTSTRAP_OWNER_EMAIL', platform.ownerEmail],
		['CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS', platform.allowedEmails.join(',')],
		['CODEXK8S_GITHUB_OAUTH_CLIENT_ID', platform.oauthClientId],
		['CODEXK8S_GIT_BOT_USERNAME', platform.gitBotUsername],
		['CODEXK8S_GIT_BOT_MAIL', platform.gitBotEmail],
		['CODEXK8S_AGENT_DEFAULT_MODEL', platform.agentModel],
		['CODEXK8S_AGENT_DEFAULT_LOCALE', platform.agentLocale],
		['CODEXK8S_AGENT_BASE_BRANCH', platform.baseBranch],
		['CODEXK8S_PLATFORM_DEPLOYMENT_REPLICAS', String(platform.replicas)],
		...labelVariables(),
	];
	const result: Variables = new Map();
	for (const [name, value] of entries) {
		checkName(name);
		result.set(name, value ?? '');
	}

	return result;
}

export type VariableChange = {
	name: string;
	action: 'create' | 'update' | 'delete';
	value?: string;
};

/** Read-only: the creates, updates and deletes that make the repository match. */
export async function planVariables(
	gh: GitHub,
	desired: Variables,
): Promise<VariableChange[]> {
	const listed = await gh.api.paginate(gh.api.actions.listRepoVariables, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 30,
	});
	const existing = new Map(
		listed.map(variable => [variable.name, variable.value]),
	);
	const changes: VariableChange[] = [];
	for (const [name, value] of desired) {
		const current = existing.get(name);
		if (value === '') {
			if (current !== undefined) {
				changes.push({name, action: 'delete'});
			}
		} else if (current === undefined) {
			changes.push({name, action: 'create', value});
		} else if (current !== value) {
			changes.push({name, action: 'update', value});
		}
	}

	for (const name of legacyVariables) {
		if (existing.has(name)) {
			changes.push({name, action: 'delete'});
		}
	}

	return changes;
}

export async function applyVariables(
	gh: GitHub,
	changes: readonly VariableChange[],
): Promise<void> {
	const {api, owner, repo} = gh;
	for (const change of changes) {
		const {name, value = ''} = change;
		try {
			// Sequential: GitHub asks for mutating requests one at a time.
			// eslint-disable-next-line no-await-in-loop
			await (change.action === 'create'
				? api.actions.createRepoVariable({owner, repo, name, value})
				: change.action === 'update'
					? api.actions.updateRepoVariable({owner, repo, name, value})
					: api.actions.deleteRepoVariable({owner, repo, name}));
		} catch (error) {
			throw asUserError(error, `Setting variable ${name}`);
		}
	}
}
