import type {Step} from '../../source/engine/step.js';
import {
	applySecrets,
	desiredSecrets,
	planSecrets,
} from '../../source/github/secrets.js';
import {
	deleteSecrets,
	deleteVariables,
	digestVariable,
	presentSecrets,
	presentVariables,
} from '../../source/github/removal.js';

export const githubSecrets: Step = {
	id: 'github.secrets',
	phase: 'github',
	title: 'Repository secrets',
	reach: 'github',
	runbook: input => ({
		check: [
			`gh secret list --repo ${input.github.repo ?? 'OWNER/REPO'}   (names only: GitHub never shows values)`,
		],
		fix: [
			'codex-k8s-install install --only github   (a secret is rewritten when its value changed)',
		],
	}),
	remove: {
		keptUnless: 'github',
		async check(context) {
			const gh = context.github();
			const names = [...desiredSecrets(context.input).keys()];
			const secrets = await presentSecrets(gh, names);
			const digests = await presentVariables(gh, [digestVariable]);
			return [
				...secrets.map(name => `delete secret ${name}`),
				...digests.map(name => `delete variable ${name}`),
			];
		},
		async apply(context) {
			const gh = context.github();
			const names = [...desiredSecrets(context.input).keys()];
			await deleteSecrets(gh, await presentSecrets(gh, names));
			await deleteVariables(gh, await presentVariables(gh, [digestVariable]));
		},
	},
	describe: input => [
		`sets ${[...desiredSecrets(input).keys()].join(', ') || 'no'} Actions secrets, sealed with the repository key on this machine`,
		'removes the legacy secrets of older installs; rewrites a secret only when its value changed',
	],
	async check(context) {
		const gh = context.github();
		const plan = await planSecrets(gh, desiredSecrets(context.input));
		const changes = [
			...plan.write.map(name => `set secret ${name}`),
			...plan.remove.map(name => `remove legacy secret ${name}`),
		];
		if (changes.length === 0 && plan.digests === undefined) {
			return {kind: 'done'};
		}

		return {
			kind: 'change',
			changes: changes.length > 0 ? changes : ['record secret digests'],
		};
	},
	async apply(context) {
		const gh = context.github();
		const desired = desiredSecrets(context.input);
		await applySecrets(gh, desired, await planSecrets(gh, desired));
	},
};
