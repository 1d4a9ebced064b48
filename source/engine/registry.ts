import {phases, type Input, type Phase} from '../config/schema.js';
import {UsageError} from '../errors.js';
import type {Step} from './step.js';

/**
 * The steps that apply to this input, in phase order. `only` narrows to some phases; preflight
 * steps stay, but only those the chosen phases need (a GitHub check is not needed for `--only host`);
 * `--only preflight` is every preflight check, the host's and GitHub's included.
 */
export function selectSteps(
	all: readonly Step[],
	input: Input,
	only?: readonly Phase[],
): Step[] {
	const wanted = only ? new Set<Phase>(only) : undefined;
	const reaches = new Set(
		all
			.filter(
				step =>
					step.phase !== 'preflight' && (!wanted || wanted.has(step.phase)),
			)
			.flatMap(step =>
				// The cluster is reached through the host's SSH connection: its checks are needed too.
				step.reach === 'cluster' ? ['cluster', 'host'] : [step.reach],
			),
	);
	reaches.add('local');
	return all
		.filter(step => !step.when || step.when(input))
		.filter(step =>
			step.phase === 'preflight'
				? !wanted ||
					wanted.has('preflight') ||
					reaches.has(step.serves ?? step.reach)
				: !wanted || wanted.has(step.phase),
		)
		.toSorted((a, b) => phases.indexOf(a.phase) - phases.indexOf(b.phase));
}

/** Of `wanted`, the phases this version has no step for yet. */
export function unbuiltPhases(
	registry: readonly Step[],
	wanted: readonly Phase[] = phases,
): Phase[] {
	return wanted.filter(
		phase =>
			phase !== 'preflight' && !registry.some(step => step.phase === phase),
	);
}

/** The phases this version has steps for. */
export const builtPhases = (registry: readonly Step[]): Phase[] => {
	const unbuilt = unbuiltPhases(registry);
	return phases.filter(phase => !unbuilt.includes(phase));
};

/** Said by `install` (which refuses) and `plan` (which shows what it can) for unbuilt phases. */
export function unbuiltNotice(
	registry: readonly Step[],
	wanted: readonly Phase[],
): string | undefined {
	const unbuilt = unbuiltPhases(registry, wanted);
	return unbuilt.length > 0
		? `This version cannot install the ${unbuilt.join(', ')} phase${unbuilt.length > 1 ? 's' : ''} yet`
		: undefined;
}

export function parsePhases(list: string): Phase[] {
	const names = list
		.split(',')
		.map(name => name.trim())
		.filter(Boolean);
	const unknown = names.filter(
		name => !(phases as readonly string[]).includes(name),
	);
	if (unknown.length > 0 || names.length === 0) {
		throw new UsageError(
			`--only got ${unknown.length > 0 ? `unknown phase ${unknown.join(', ')}` : 'no phase'}`,
			`Phases: ${phases.join(', ')}.`,
		);
	}

	return names as Phase[];
}

/** Ids must be unique and stable; a duplicate is a bug caught at start-up and in tests. */
export function assertUniqueIds(steps: readonly Step[]): void {
	const seen = new Set<string>();
	for (const step of steps) {
		if (seen.has(step.id)) {
			throw new Error(`duplicate step id ${step.id}`);
		}

		seen.add(step.id);
	}
}
