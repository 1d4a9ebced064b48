import type {Step} from '../../source/engine/step.js';
import {
	applyVariables,
	desiredVariables,
	planVariables,
} from '../../source/github/variables.js';
import {
	deleteVariables,
	presentVariables,
} from '../../source/github/removal.js';

export const githubVariables: Step = {
	id: 'github.variables',
	phase: 'github',
	title: 'Repository variables',
	reach: 'github',
	inputs: input => Object.fromEntries(desiredVariables(input)),
	runbook: input => ({
		check: [
			`gh variable list --repo ${input.github.repo ?? 'OWNER/REPO'}   (the CODEXK8S_ variables)`,
		],
		fix: ['codex-k8s-install install --only github   (sets them again)'],
	}),
	remove: {
		keptUnless: 'github',
		async check(context) {
			const names = await presentVariables(context.github(), [
				...desiredVariables(context.input).keys(),
			]);
			return names.map(name => `delete variable ${name}`);
		},
		async apply(context) {
			const gh = context.github();
			await deleteVariables(
				gh,
				await presentVariables(gh, [...desiredVariables(context.input).keys()]),
			);
		},
	},
	describe: input => [
		`sets ${desiredVariables(input).size} CODEXK8S_ Actions variables (an empty one is deleted) and removes legacy ones`,
	],
	async check(context) {
		const changes = await planVariables(
			context.github(),
			desiredVariables(context.input),
		);
		return changes.length === 0
			? {kind: 'done'}
			: {
					kind: 'change',
					changes: changes.map(
						change => `${change.action} variable ${change.name}`,
					),
				};
	},
	async apply(context) {
		const gh = context.github();
		await applyVariables(
			gh,
			await planVariables(gh, desiredVariables(context.input)),
		);
	},
};
