import type {Plan, PlannedStep} from '../engine/plan.js';
import type {Finding} from '../engine/step.js';

export type FindingKind = Finding['kind'];

/** Colour names understood by Ink's `color` prop and by the line renderer. */
export type Tone = 'green' | 'yellow' | 'cyan' | 'red' | 'gray';

/** What the plan view shows above the steps; `mode` and `probed` default to the plan's. */
export type PlanHeader = {
	/** Such as `root@203.0.113.10:22`. */
	target: string;
	mode?: Plan['mode'];
	probed?: boolean;
};

/** Mark and colour of each finding kind, shared by the plan view and the plain-text plan. */
export const findingStyle: Record<FindingKind, {mark: string; tone: Tone}> = {
	done: {mark: '✔', tone: 'green'},
	new: {mark: '+', tone: 'cyan'},
	change: {mark: '~', tone: 'yellow'},
	blocked: {mark: '✖', tone: 'red'},
	skipped: {mark: '-', tone: 'gray'},
	unknown: {mark: '?', tone: 'gray'},
};

export const offlineHint =
	'Offline plan: add --probe to also read the host and GitHub (read-only).';

export const headerLine = (plan: Plan, header: PlanHeader): string => {
	const mode = header.mode ?? plan.mode;
	const probed = header.probed ?? plan.probed;
	return [
		`Plan for ${header.target}`,
		mode ? `${mode} mode` : 'mode not set',
		probed ? 'probed' : 'offline',
	].join(' · ');
};

/** The summary as parts, so the view can colour each one; `change` counts new and change. */
export type SummaryPart = {
	kind: 'change' | 'done' | 'blocked' | 'skipped' | 'unknown';
	count: number;
	text: string;
};

const summaryKinds = [
	'change',
	'done',
	'blocked',
	'skipped',
	'unknown',
] as const satisfies ReadonlyArray<SummaryPart['kind']>;

const summaryWords: Record<SummaryPart['kind'], string> = {
	change: 'to change',
	done: 'already done',
	blocked: 'blocked',
	skipped: 'skipped',
	unknown: 'not probed',
};

/** "3 to change · 5 already done · 12 not probed": the change count always, the rest when not zero. */
export const summaryParts = (plan: Plan): SummaryPart[] => {
	const counts: Record<SummaryPart['kind'], number> = {
		change: 0,
		done: 0,
		blocked: 0,
		skipped: 0,
		unknown: 0,
	};
	for (const {finding} of plan.steps) {
		counts[finding.kind === 'new' ? 'change' : finding.kind]++;
	}

	return summaryKinds
		.filter(kind => kind === 'change' || counts[kind] > 0)
		.map(kind => ({
			kind,
			count: counts[kind],
			text: `${counts[kind]} ${summaryWords[kind]}`,
		}));
};

export const summaryLine = (plan: Plan): string =>
	summaryParts(plan)
		.map(part => part.text)
		.join(' · ');

/** Steps grouped by phase, in the order the phases first appear in the plan. */
export const groupByPhase = (
	steps: readonly PlannedStep[],
): Array<[PlannedStep['phase'], PlannedStep[]]> => {
	const groups = new Map<PlannedStep['phase'], PlannedStep[]>();
	for (const step of steps) {
		const group = groups.get(step.phase);
		if (group) {
			group.push(step);
		} else {
			groups.set(step.phase, [step]);
		}
	}

	return [...groups];
};
