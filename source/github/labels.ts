import {readAsset} from '../assets.js';
import type {GitHub} from './client.js';
import {asUserError} from './errors.js';

export type Label = {name: string; description: string; color: string};

let catalog: Label[] | undefined;

/** The label catalog shipped in assets/labels.json. */
export function labelCatalog(): Label[] {
	catalog ??= (
		JSON.parse(readAsset('labels.json')) as {labels: Label[]}
	).labels.map(({name, description, color}) => ({name, description, color}));
	return catalog;
}

/** `run:dev` → `CODEXK8S_RUN_DEV_LABEL`, `[ai-reasoning-low]` → `CODEXK8S_AI_REASONING_LOW_LABEL`. */
export function labelVariableName(name: string): string {
	const stem = name
		.toUpperCase()
		.replaceAll(/[^A-Z\d]+/g, '_')
		.replaceAll(/^_|_$/g, '');
	return `CODEXK8S_${stem}_LABEL`;
}

export function labelVariables(): Array<[string, string]> {
	return labelCatalog().map(label => [
		labelVariableName(label.name),
		label.name,
	]);
}

export type LabelChange = {action: 'create' | 'update'; label: Label};

export async function planLabels(
	gh: GitHub,
	wanted: readonly Label[] = labelCatalog(),
): Promise<LabelChange[]> {
	const labels = await gh.api.paginate(gh.api.issues.listLabelsForRepo, {
		owner: gh.owner,
		repo: gh.repo,
		per_page: 100,
	});
	const existing = new Map(
		labels.map(label => [label.name.toLowerCase(), label]),
	);
	const changes: LabelChange[] = [];
	for (const label of wanted) {
		const current = existing.get(label.name.toLowerCase());
		if (!current) {
			changes.push({action: 'create', label});
		} else if (
			current.name !== label.name ||
			(current.description ?? '') !== label.description ||
			current.color.toLowerCase() !== label.color.toLowerCase()
		) {
			changes.push({action: 'update', label});
		}
	}

	return changes;
}

export async function applyLabels(
	gh: GitHub,
	changes: readonly LabelChange[],
): Promise<void> {
	const {api, owner, repo} = gh;
	for (const {action, label} of changes) {
		try {
			// Sequential: GitHub asks for mutating requests one at a time.
			// eslint-disable-next-line no-await-in-loop
			await (action === 'create'
				? api.issues.createLabel({owner, repo, ...label})
				: api.issues.updateLabel({
						owner,
						repo,
						name: label.name,
						new_name: label.name,
						description: label.description,
						color: label.color,
					}));
		} catch (error) {
			throw asUserError(error, `Writing label ${label.name}`);
		}
	}
}
