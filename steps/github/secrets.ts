import type {Finding, Step} from '../../source/engine/step.js';
import {
	deleteSecrets,
	deleteVariables,
	digestVariable,
	presentVariables,
} from '../../source/github/removal.js';
import {listedSecrets, unusedSecrets} from '../../source/github/secrets.js';

/** The plan's words for what an older install left in the repository, or undefined when nothing. */
function leftOver(listed: readonly string[]): string | undefined {
	const {former, legacy} = unusedSecrets(listed);
	const parts = [
		former.length > 0
			? `${former.join(', ')} (written by an older version; \`uninstall --remove github\` deletes them)`
			: undefined,
		legacy.length > 0
			? `${legacy.join(', ')} (upstream's older names; delete them with \`gh secret delete\` if nothing else reads them)`
			: undefined,
	].filter(Boolean);
	return parts.length > 0
		? `no longer used, left in place: ${parts.join('; ')}`
		: undefined;
}

/**
 * `github.secrets`: the deploy workflow reads the platform's secrets in the cluster, so no
 * repository secret is written. The check only says what an older install left there; deleting
 * it is the operator's choice, made with `uninstall --remove github`.
 */
export const githubSecrets: Step = {
	id: 'github.secrets',
	phase: 'github',
	title: 'Repository secrets',
	reach: 'github',
	runbook: input => ({
		check: [
			`gh secret list --repo ${input.github.repo ?? 'OWNER/REPO'}   (the installer writes none; CODEXK8S_* ones are an older version's)`,
		],
		fix: [
			'codex-k8s-install uninstall --remove github   (deletes the CODEXK8S_* secrets an older version wrote, with the rest of the repository wiring)',
		],
	}),
	remove: {
		keptUnless: 'github',
		async check(context) {
			const gh = context.github();
			const {former} = unusedSecrets((await listedSecrets(gh)) ?? []);
			const digests = await presentVariables(gh, [digestVariable]);
			return [
				...former.map(name => `delete secret ${name}`),
				...digests.map(name => `delete variable ${name}`),
			];
		},
		async apply(context) {
			const gh = context.github();
			const {former} = unusedSecrets((await listedSecrets(gh)) ?? []);
			await deleteSecrets(gh, former);
			await deleteVariables(gh, await presentVariables(gh, [digestVariable]));
		},
	},
	describe: () => [
		'writes no repository secret: the deploy workflow reads the platform’s secrets in the cluster',
		'says which secrets of an older install are no longer used, and leaves them',
	],
	async check(context): Promise<Finding> {
		const listed = await listedSecrets(context.github());
		if (listed === undefined) {
			return {
				kind: 'done',
				note: 'none written; the token may not list repository secrets, so older ones were not looked for',
			};
		}

		return {
			kind: 'done',
			note: leftOver(listed) ?? 'none written, none left over',
		};
	},
};
