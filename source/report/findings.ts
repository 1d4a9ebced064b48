import type {PlannedStep} from '../engine/plan.js';
import type {Finding, Step} from '../engine/step.js';

/** One line of `doctor`: a check, what it found, and for a problem what to do. */
export type DoctorFinding = {
	id: string;
	title: string;
	status: 'ok' | 'problem' | 'skipped' | 'unknown';
	detail: string;
	fix?: string;
};

const oneLine = (text: string) => text.replaceAll(/\s+/g, ' ').trim();

function statusOf(finding: Finding): DoctorFinding['status'] {
	switch (finding.kind) {
		case 'done': {
			return 'ok';
		}

		// A preflight check that would wait (apt locks held, cloud-init running) is a problem now.
		case 'new':
		case 'change':
		case 'blocked': {
			return 'problem';
		}

		case 'skipped': {
			return 'skipped';
		}

		case 'unknown': {
			return 'unknown';
		}
	}
}

function detailOf(finding: Finding): string {
	switch (finding.kind) {
		case 'done': {
			return finding.note ?? 'fine';
		}

		case 'new':
		case 'change': {
			return finding.changes.join('; ');
		}

		case 'blocked': {
			return finding.problem;
		}

		case 'skipped':
		case 'unknown': {
			return finding.reason;
		}
	}
}

/**
 * A planned preflight check as a doctor finding. The fix is the check's own hint, else the
 * step's runbook lines: every problem comes with what to do.
 */
export function doctorFinding(
	planned: PlannedStep,
	step: Pick<Step, 'runbook'> | undefined,
	input: Parameters<NonNullable<Step['runbook']>>[0],
): DoctorFinding {
	const {finding} = planned;
	const status = statusOf(finding);
	const hint = finding.kind === 'blocked' ? finding.hint : undefined;
	const fix =
		status === 'problem'
			? (hint ?? step?.runbook?.(input).fix.join('\n'))
			: undefined;
	return {
		id: planned.id,
		title: planned.title,
		status,
		detail: oneLine(detailOf(finding)),
		...(fix ? {fix} : {}),
	};
}

const marks = {ok: '✔', problem: '✖', skipped: '-', unknown: '?'} as const;

/** The findings as plain text: one line each, a problem's fix on indented `→` lines. */
export function doctorText(
	target: string,
	findings: readonly DoctorFinding[],
): string {
	const width = Math.max(...findings.map(item => item.title.length), 0);
	const lines = [`Doctor for ${target}`];
	for (const item of findings) {
		lines.push(
			`${marks[item.status]} ${item.title.padEnd(width)}  ${item.detail}`,
		);
		for (const line of item.fix?.split('\n') ?? []) {
			lines.push(`    → ${line}`);
		}
	}

	const problems = findings.filter(item => item.status === 'problem').length;
	lines.push(
		problems === 0
			? 'No problem found.'
			: `${problems} problem${problems === 1 ? '' : 's'} found.`,
	);
	return `${lines.join('\n')}\n`;
}
