import {phases, type Input} from '../config/schema.js';
import type {Step} from '../engine/step.js';
import {
	type RunbookSection,
	recoverySections,
	recoveryTitles,
} from './runbook-recovery.js';

export {recoveryTitles} from './runbook-recovery.js';

/** What the runbook says about where it came from. */
export type RunbookHeader = {
	/** `root@203.0.113.10:22`, or what identifies the installation. */
	target: string;
	version: string;
	/** Where the saved answers and logs are. */
	stateDir?: string;
	/**
	 * How the operator runs the installer (`npx codex-k8s-install@1.2.0`): every command line
	 * of the runbook is written with it.
	 */
	program: string;
	/** The installer's command names: `codex-k8s-install <command>` in a line becomes `<program> <command>`. */
	commands: readonly string[];
};

/**
 * Steps and recovery sections write their command lines once, with the bare program name; the
 * runbook gives them the operator's way of running it. Only the name before a command is
 * replaced (`written by codex-k8s-install 1.2.0`, a field manager or a search stay).
 */
export function asRunBy(
	program: string,
	commands: readonly string[],
): (line: string) => string {
	if (program === 'codex-k8s-install' || commands.length === 0) {
		return line => line;
	}

	const named = new RegExp(
		String.raw`(?<![\w./@-])codex-k8s-install(?= (?:${commands.join('|')})(?![\w-]))`,
		'g',
	);
	return line => line.replaceAll(named, program);
}

/** A step's section heading starts with its id: that is the name checks and errors point at. */
export const stepSectionTitle = (step: Pick<Step, 'id' | 'title'>) =>
	`${step.id}: ${step.title}`;

const bullets = (lines: readonly string[]) => lines.map(line => `- ${line}`);

function answersLines(input: Input): string[] {
	const {connection, operator, github, platform, runner} = input;
	return bullets([
		`host: ${connection.host ?? '(not given)'}, SSH port ${connection.port ?? 22}, login user ${connection.user ?? 'root'}`,
		`operator user: ${operator.user}`,
		`mode: ${input.mode ?? '(not chosen)'}${input.mode === 'server' ? `, domain ${input.domain ?? '(not given)'}` : ''}`,
		`repository: ${github.repo ?? '(not given)'}`,
		`platform namespace: ${platform.namespace}`,
		`runner: scale set ${runner.scaleSetName} in namespace ${runner.namespace}`,
	]);
}

function stepSection(
	step: Step,
	input: Input,
	{program, commands}: Pick<RunbookHeader, 'program' | 'commands'>,
): RunbookSection {
	const run = asRunBy(program, commands);
	const applies = !step.when || step.when(input);
	const entry = step.runbook?.(input);
	const lines = [
		...(applies
			? []
			: [
					'_Does not apply to this installation’s answers (mode or options); kept for reference._',
					'',
				]),
		'What it does:',
		...bullets(step.describe(input)),
		'',
		'Check by hand:',
		...bullets(
			(entry?.check ?? ['(no manual check written for this step)']).map(text =>
				run(text),
			),
		),
		'',
		'Fix or redo:',
		...bullets(
			(entry?.fix ?? ['run the install again']).map(text => run(text)),
		),
		'',
		`Resume: \`${program} resume\` continues an interrupted run; \`${program} install --only ${step.phase}\` redoes the ${step.phase} phase (finished steps report "already done").`,
	];
	return {title: stepSectionTitle(step), lines};
}

/** Every section of the runbook, in order: step sections grouped by phase, then recovery. */
export function runbookSections(
	steps: readonly Step[],
	input: Input,
	how: Pick<RunbookHeader, 'program' | 'commands'>,
): Array<{phase?: string; section: RunbookSection}> {
	const run = asRunBy(how.program, how.commands);
	const ordered = phases.flatMap(phase =>
		steps.filter(step => step.phase === phase),
	);
	return [
		...ordered.map(step => ({
			phase: step.phase,
			section: stepSection(step, input, how),
		})),
		...recoverySections(input).map(section => ({
			section: {...section, lines: section.lines.map(text => run(text))},
		})),
	];
}

/**
 * The manual-recovery runbook of one installation as Markdown: its answers, how to resume, one
 * section per step of the registry (what it does, how to check it by hand, how to fix or redo it)
 * and the recovery sections. Pure: the command writes it.
 */
export function renderRunbook(
	steps: readonly Step[],
	input: Input,
	header: RunbookHeader,
): string {
	const {program} = header;
	const out: string[] = [
		`# Runbook: codex-k8s staging on ${input.connection.host ?? 'an unnamed host'}`,
		'',
		`For ${header.target} in ${input.mode ?? 'an unchosen'} mode, written by codex-k8s-install ${header.version}. Every command uses this installation’s names; \`kubectl\` commands run on the host as ${input.operator.user}.`,
		'',
		'## This installation',
		'',
		...answersLines(input),
		...(header.stateDir
			? [`- saved answers and logs: ${header.stateDir}`]
			: []),
		'',
		'## How to resume',
		'',
		`An interrupted install keeps what it finished. \`${program} resume\` runs again with the saved answers: finished steps report "already done", the failed one is retried. \`${program} status\` shows what is healthy; \`${program} doctor\` checks this computer, SSH, the token and DNS. The section of each failure is named after "Runbook:" in its message.`,
		'',
	];
	// The recovery sections have no phase: their group is called Recovery.
	let group = '';
	for (const item of runbookSections(steps, input, header)) {
		const heading = item.phase ? `## Phase ${item.phase}` : '## Recovery';
		if (heading !== group) {
			out.push(heading, '');
			group = heading;
		}

		out.push(`### ${item.section.title}`, '', ...item.section.lines, '');
	}

	return `${out.join('\n').trimEnd()}\n`;
}

/** The headings a `runbookSection` may name: each step's id, and each recovery title. */
export const runbookSectionNames = (steps: readonly Step[]): string[] => [
	...steps.map(step => step.id),
	...Object.values(recoveryTitles),
];
