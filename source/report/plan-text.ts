import {findingLabel, type Plan, type PlannedStep} from '../engine/plan.js';
import {
	headerLine,
	offlineHint,
	summaryLine,
	type PlanHeader,
} from './plan-summary.js';

// Keeps a step on one line even when a remote message spans several.
const oneLine = (text: string) => text.replaceAll(/\s+/gv, ' ').trim();

/** The detail column: what would change, why it is blocked or skipped, or a note. */
export const stepDetail = (step: PlannedStep): string => {
	const {finding} = step;
	const parts: string[] = [];
	switch (finding.kind) {
		case 'new':
		case 'change': {
			parts.push(...finding.changes);
			break;
		}

		case 'blocked': {
			parts.push(finding.problem);
			break;
		}

		case 'skipped': {
			parts.push(finding.reason);
			break;
		}

		case 'unknown': {
			// What the step will do says more than "not checked yet", which the label already says.
			parts.push(
				...(step.description.length > 0 ? step.description : [finding.reason]),
			);
			break;
		}

		case 'done': {
			if (finding.note) {
				parts.push(finding.note);
			}

			break;
		}
	}

	if (step.inputsChanged) {
		parts.push('inputs changed since the last run');
	}

	return parts.map(part => oneLine(part)).join('; ');
};

/**
 * The plan as plain text for a stdout that is not a terminal: a header, one line per step
 * (`phase  id  label  detail`, columns aligned with spaces) with the fix of a blocked step on
 * indented `→` lines under it, the summary, and for an offline plan the `--probe` hint. No colour;
 * ends with a newline.
 */
export const planText = (plan: Plan, header: PlanHeader): string => {
	const rows = plan.steps.map(step => [
		step.phase,
		step.id,
		findingLabel(step.finding),
		stepDetail(step),
	]);
	const widths = [0, 1, 2].map(column =>
		Math.max(0, ...rows.map(row => (row[column] ?? '').length)),
	);
	const lines = rows.flatMap((row, index) => {
		const {finding} = plan.steps[index]!;
		const hint =
			finding.kind === 'blocked' && finding.hint
				? finding.hint.split('\n').map(line => `    → ${line.trim()}`)
				: [];
		return [
			row
				.map((cell, column) => cell.padEnd(widths[column] ?? 0))
				.join('  ')
				.trimEnd(),
			...hint,
		];
	});
	const probed = header.probed ?? plan.probed;
	return [
		headerLine(plan, header),
		'',
		...lines,
		...(lines.length > 0 ? [''] : []),
		summaryLine(plan),
		...(probed ? [] : [offlineHint]),
		'',
	].join('\n');
};
