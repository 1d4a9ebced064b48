import {countChanges, type Plan, type PlannedStep} from '../engine/plan.js';
import type {Finding, StepStatus} from '../engine/step.js';
import type {PlanHeader} from './plan-summary.js';

/**
 * A planned step's status in the shared `--json` vocabulary (docs/contributing.md, House rules): `done`, `would-change`
 * (new or change), `skipped`, `failed` (blocked), plus `unknown` for a step an offline plan did
 * not check.
 */
export type PlanStepStatus =
	| Extract<StepStatus, 'done' | 'would-change' | 'skipped' | 'failed'>
	| 'unknown';

export type PlanJsonStep = {
	id: string;
	phase: PlannedStep['phase'];
	title: string;
	status: PlanStepStatus;
	/** The finer finding, so `new` and `change` stay apart. */
	finding: Finding['kind'];
	/** What a run would change; empty unless `would-change`. */
	changes: string[];
	/** Why it is skipped or unknown, or a note on a done step (as `note` of a run's steps). */
	note?: string;
	/** Why it is blocked, and what to do (as `error` of a run's failed step). */
	error?: string;
	hint?: string;
	inputsChanged: boolean;
};

export type PlanJson = {
	command: 'plan';
	/** Present when the command knows it, such as `root@203.0.113.10:22`. */
	target?: string;
	/** Absent while no mode is chosen (`jq .mode` then gives null). */
	mode?: NonNullable<Plan['mode']>;
	probed: boolean;
	/** Steps a run would change: 0 means the host is converged (as far as it was probed). */
	changes: number;
	steps: PlanJsonStep[];
};

const statusOf: Record<Finding['kind'], PlanStepStatus> = {
	done: 'done',
	new: 'would-change',
	change: 'would-change',
	blocked: 'failed',
	skipped: 'skipped',
	unknown: 'unknown',
};

const stepJson = (step: PlannedStep): PlanJsonStep => {
	const {finding} = step;
	const base = {
		id: step.id,
		phase: step.phase,
		title: step.title,
		status: statusOf[finding.kind],
		finding: finding.kind,
	};
	const detail = (() => {
		switch (finding.kind) {
			case 'new':
			case 'change': {
				return {changes: finding.changes};
			}

			case 'blocked': {
				return {
					changes: [],
					error: finding.problem,
					...(finding.hint ? {hint: finding.hint} : {}),
				};
			}

			case 'skipped':
			case 'unknown': {
				return {changes: [], note: finding.reason};
			}

			case 'done': {
				return {changes: [], ...(finding.note ? {note: finding.note} : {})};
			}
		}
	})();
	return {...base, ...detail, inputsChanged: step.inputsChanged};
};

/** The `--json` document of `plan`; `header` adds the target and may override mode and probed. */
export const planJson = (plan: Plan, header?: PlanHeader): PlanJson => {
	const mode = header?.mode ?? plan.mode;
	return {
		command: 'plan',
		...(header ? {target: header.target} : {}),
		...(mode ? {mode} : {}),
		probed: header?.probed ?? plan.probed,
		changes: countChanges(plan),
		steps: plan.steps.map(step => stepJson(step)),
	};
};

/** `planJson` serialised as printed on stdout: indented, with a final newline. */
export const planJsonText = (plan: Plan, header?: PlanHeader): string =>
	`${JSON.stringify(planJson(plan, header), undefined, 2)}\n`;
