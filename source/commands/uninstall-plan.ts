import {type Input, type Phase} from '../config/schema.js';
import {UsageError} from '../errors.js';
import type {Keepable, Removal, Step} from '../engine/step.js';

/** One thing uninstall may take back: a step's removal (or k3s's, until its step has one). */
export type RemovalItem = {
	id: string;
	phase: Phase;
	title: string;
	removal: Removal;
};

const keepables: readonly Keepable[] = ['hardening', 'operator', 'github'];

/** `--remove hardening,github` → the kept things the operator asks to remove too. */
export function parseRemove(
	value: string | boolean | undefined,
): Set<Keepable> {
	if (typeof value !== 'string') {
		return new Set();
	}

	const names = value
		.split(',')
		.map(name => name.trim())
		.filter(Boolean);
	const unknown = names.filter(
		name => !(keepables as readonly string[]).includes(name),
	);
	if (unknown.length > 0 || names.length === 0) {
		throw new UsageError(
			`--remove got ${unknown.length > 0 ? `unknown ${unknown.join(', ')}` : 'nothing'}`,
			`It takes: ${keepables.join(', ')}.`,
		);
	}

	return new Set(names as Keepable[]);
}

/** The registry backwards, each step with a removal that applies to these answers. */
export function removalOrder(
	steps: readonly Step[],
	input: Input,
): RemovalItem[] {
	return steps
		.filter(step => step.remove && (!step.when || step.when(input)))
		.toReversed()
		.map(step => ({
			id: step.id,
			phase: step.phase,
			title: step.title,
			removal: step.remove!,
		}));
}

/** Which items go, which stay (kept unless asked), for this `--remove`. */
export function choose(
	items: readonly RemovalItem[],
	asked: ReadonlySet<Keepable>,
): {chosen: RemovalItem[]; kept: RemovalItem[]} {
	const goes = (item: RemovalItem) =>
		!item.removal.keptUnless || asked.has(item.removal.keptUnless);
	return {
		chosen: items.filter(item => goes(item)),
		kept: items.filter(item => !goes(item)),
	};
}

/** The plan as plain lines, for stderr (and the JSON document's `plan`). */
export function planLines(
	planned: ReadonlyArray<{item: RemovalItem; changes: string[]}>,
	kept: readonly string[],
	left: readonly string[],
): string[] {
	const lines: string[] = [];
	for (const {item, changes} of planned) {
		lines.push(
			changes.length === 0
				? `  ✔ ${item.title}: nothing left to remove`
				: `  - ${item.title}: ${changes.join('; ')}`,
		);
	}

	for (const line of [...kept, ...left]) {
		lines.push(`  = kept: ${line}`);
	}

	return lines;
}
