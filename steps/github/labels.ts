import type {Step} from '../../source/engine/step.js';
import {githubOf} from '../../source/github/context.js';
import {
	applyLabels,
	labelCatalog,
	planLabels,
} from '../../source/github/labels.js';

export const githubLabels: Step = {
	id: 'github.labels',
	phase: 'github',
	title: 'Label catalog',
	reach: 'github',
	describe: () => [
		`creates or updates the ${labelCatalog().length} labels of assets/labels.json (name, description, color)`,
	],
	async check(context) {
		const changes = await planLabels(githubOf(context));
		return changes.length === 0
			? {kind: 'done'}
			: {
					kind: 'change',
					changes: changes.map(
						change => `${change.action} label ${change.label.name}`,
					),
				};
	},
	async apply(context) {
		const gh = githubOf(context);
		await applyLabels(gh, await planLabels(gh));
	},
};
