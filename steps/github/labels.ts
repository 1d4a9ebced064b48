import type {Step} from '../../source/engine/step.js';
import {projectRepos, projectSlugs} from '../../source/github/context.js';
import {slugOf} from '../../source/github/client.js';
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
	inputs: input => input.github.firstProjectRepo,
	runbook: input => ({
		check: [`gh label list --repo ${input.github.repo ?? 'OWNER/REPO'}`],
		fix: ['codex-k8s-install install --only github'],
	}),
	describe: input => [
		`creates or updates the ${labelCatalog().length} labels of assets/labels.json (name, description, color) in ${projectSlugs(input).join(' and ')}`,
	],
	async check(context) {
		const changes: string[] = [];
		for (const [index, gh] of projectRepos(
			context.github(),
			context.input,
		).entries()) {
			const prefix = index === 0 ? '' : `${slugOf(gh)}: `;
			// eslint-disable-next-line no-await-in-loop -- one repository after the other
			const planned = await planLabels(gh);
			changes.push(
				...planned.map(
					change => `${prefix}${change.action} label ${change.label.name}`,
				),
			);
		}

		return changes.length === 0 ? {kind: 'done'} : {kind: 'change', changes};
	},
	async apply(context) {
		for (const gh of projectRepos(context.github(), context.input)) {
			// eslint-disable-next-line no-await-in-loop -- writes one at a time
			await applyLabels(gh, await planLabels(gh));
		}
	},
};
