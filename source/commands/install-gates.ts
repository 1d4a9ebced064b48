import {missingAnswers, type Known} from '../config/required.js';
import type {Input, Phase} from '../config/schema.js';
import {UsageError, UserError} from '../errors.js';
import {countChanges, type Plan} from '../engine/plan.js';
import type {Run} from '../engine/state-file.js';
import {builtPhases, unbuiltNotice, unbuiltPhases} from '../engine/registry.js';
import type {Step} from '../engine/step.js';
import {askYesNo} from './confirm.js';
import type {Invocation} from './index.js';

/**
 * Without `--only`, a run covers the phases this version has, and says which are still to come;
 * an `--only` that names a phase not built yet is refused.
 */
export function phasesToRun(
	registry: readonly Step[],
	only: readonly Phase[] | undefined,
): {phases: Phase[]; later: Phase[]; notice?: string} {
	if (only) {
		assertBuilt(registry, only);
		return {phases: [...only], later: []};
	}

	const unbuilt = unbuiltPhases(registry);
	const built = builtPhases(registry);
	return {
		phases: built,
		later: unbuilt,
		notice:
			unbuilt.length > 0
				? `This version installs ${built.join(', ')}; ${unbuilt.join(', ')} come in a later version.`
				: undefined,
	};
}

function assertBuilt(
	registry: readonly Step[],
	wanted: readonly Phase[],
): void {
	const notice = unbuiltNotice(registry, wanted);
	if (notice) {
		throw new UserError(notice, {
			hint: `Built so far: ${builtPhases(registry).join(', ')}. \`codex-k8s-install plan\` shows every step this version has.`,
		});
	}
}

/**
 * Every answer the chosen phases need, checked at once before anything connects: a run without a
 * terminal learns all it lacks in one go, not one connection failure at a time.
 */
export function assertAnswersGiven(
	input: Input,
	chosen: readonly Phase[],
	known: Known = {},
): void {
	const missing = missingAnswers(input, chosen, known);
	if (missing.length > 0) {
		throw new UsageError(
			`Missing ${missing.length === 1 ? 'an answer' : `${missing.length} answers`}: ${missing.map(item => item.field.path).join(', ')}`,
			missing.map(item => `${item.field.path}: ${item.how}`).join('\n'),
		);
	}
}

/**
 * A blocked step anywhere stops the install before its first change: running the steps before it
 * would leave a half-changed host for a problem that was known up front.
 */
export function assertNothingBlocked(plan: Plan): void {
	const blocked = plan.steps.flatMap(step =>
		step.finding.kind === 'blocked'
			? [{title: step.title, ...step.finding}]
			: [],
	);
	if (blocked.length > 0) {
		throw new UserError(
			`Nothing was changed: ${blocked.length} step${blocked.length > 1 ? 's are' : ' is'} blocked`,
			{
				hint: blocked
					.map(
						({title, problem, hint}) =>
							`${title}: ${problem}${hint ? `\n  → ${hint.replaceAll('\n', '\n  → ')}` : ''}`,
					)
					.join('\n'),
			},
		);
	}
}

/** True to go on. Without a terminal, changes need --yes: a script must never hang on a prompt. */
export async function confirmChanges(
	invocation: Invocation,
	plan: Plan,
): Promise<boolean> {
	const changes = countChanges(plan);
	if (changes === 0 || invocation.flags['yes']) {
		return true;
	}

	const what = `${changes} change${changes > 1 ? 's' : ''}`;
	if (!invocation.interactive) {
		throw new UsageError(
			`The plan has ${what}`,
			'Pass --yes to apply them without a prompt.',
		);
	}

	return askYesNo(invocation.streams, `Apply ${what}?`);
}

/** On start, an unfinished install of the same target is offered for resume (Enter: yes). */
export async function offerResume(
	invocation: Invocation,
	run: Run & {key: string; failedStep?: string},
): Promise<boolean> {
	const how =
		run.outcome === 'interrupted'
			? 'was interrupted'
			: run.outcome === 'failed'
				? 'failed'
				: 'did not finish';
	const where = run.failedStep ? ` at ${run.failedStep}` : '';
	const only = run.only ? ` (--only ${run.only.join(',')})` : '';
	return askYesNo(
		invocation.streams,
		`The install of ${run.key} started ${run.startedAt}${only} ${how}${where}. Resume it?`,
		true,
	);
}
