import {stripVTControlCharacters} from 'node:util';
import type {EngineEvent, EventSink} from '../engine/events.js';
import type {Finding, StepStatus} from '../engine/step.js';
import {formatTiming} from '../engine/timing.js';

/** Anything with `write`: `process.stderr` in the product, a string collector in tests. */
export type LineWriter = {write(chunk: string): unknown};

export type LineRendererOptions = {
	/** Colour marks and headings with ANSI codes; off unless the caller knows the stream is a terminal. */
	color?: boolean;
	/**
	 * Show remote output lines and where each step's time went (`--verbose`); otherwise only
	 * milestones. The log has them all.
	 */
	output?: boolean;
};

const ansi = {
	bold: [1, 22],
	dim: [2, 22],
	red: [31, 39],
	green: [32, 39],
	yellow: [33, 39],
	cyan: [36, 39],
	gray: [90, 39],
} as const;

type Style = keyof typeof ansi;

/** `0.4s`, `12.0s`, `2m 05s`. */
export const formatDuration = (ms: number): string => {
	const tenths = Math.round(Math.max(0, ms) / 100);
	if (tenths < 600) {
		return `${(tenths / 10).toFixed(1)}s`;
	}

	const seconds = Math.round(ms / 1000);
	return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
};

// Remote output may carry its own colours and carriage-return progress bars: keep the last
// state of the line and only our own styling.
const cleanOutput = (line: string): string => {
	const segments = line.split('\r').filter(segment => segment !== '');
	return stripVTControlCharacters(segments.at(-1) ?? '').trimEnd();
};

/** Lines of a step that waits on something outside the installer start with this. */
export const waitPrefix = 'waiting for ';

const isWait = (line: string) => line.startsWith(waitPrefix);

const changesOf = (finding: Finding | undefined): string[] =>
	finding && (finding.kind === 'new' || finding.kind === 'change')
		? finding.changes
		: [];

const reasonOf = (finding: Finding | undefined): string | undefined =>
	finding?.kind === 'skipped' ? finding.reason : undefined;

const tallyWords: Array<[StepStatus, string]> = [
	['failed', 'failed'],
	['changed', 'changed'],
	['would-change', 'would change'],
	['done', 'already done'],
	['skipped', 'skipped'],
];

/**
 * An event sink that writes plain progress lines: a heading per phase, one line per finished
 * step, remote output indented under its step, and a summary. No spinners and no clock of its
 * own, so the same events always give the same text.
 */
export function createLineRenderer(
	stream: LineWriter,
	options: LineRendererOptions = {},
): EventSink {
	const paint = (style: Style, text: string) => {
		if (!options.color) {
			return text;
		}

		const [open, close] = ansi[style];
		return `\u001B[${open}m${text}\u001B[${close}m`;
	};

	const write = (line: string) => {
		stream.write(`${line}\n`);
	};

	const titles = new Map<string, string>();
	const findings = new Map<string, Finding>();
	const announced = new Set<string>();
	const tally = new Map<StepStatus, number>();
	let command = 'run';

	const indented = (prefix: string, text: string) => {
		const [first = '', ...rest] = text.split('\n');
		write(`${prefix}${first}`);
		for (const line of rest) {
			write(`    ${line}`);
		}
	};

	const finish = ({
		id,
		status,
		durationMs,
		error,
		timing,
	}: Extract<EngineEvent, {type: 'step-finish'}>) => {
		const title = titles.get(id) ?? id;
		const time = paint('dim', `(${formatDuration(durationMs)})`);
		tally.set(status, (tally.get(status) ?? 0) + 1);
		switch (status) {
			case 'done': {
				write(`  ${paint('green', '✔')} ${title} ${time}`);
				break;
			}

			case 'changed':
			case 'would-change': {
				const verb = status === 'changed' ? 'changed' : 'would change';
				write(`  ${paint('yellow', '↻')} ${title} ${verb} ${time}`);
				for (const change of changesOf(findings.get(id))) {
					write(`    ${paint('dim', '·')} ${change}`);
				}

				break;
			}

			case 'skipped': {
				const reason = reasonOf(findings.get(id));
				write(
					`  ${paint('gray', '-')} ${title} skipped${reason ? `: ${reason}` : ''}`,
				);
				break;
			}

			case 'failed': {
				// A blocked step's error already starts with its title (the runner's UserError).
				const message = error?.startsWith(`${title}: `)
					? error.slice(title.length + 2)
					: error;
				indented(
					`  ${paint('red', '✖')} `,
					message ? `${title}: ${message}` : `${title} failed`,
				);
				break;
			}
		}

		if (options.output === true && timing) {
			write(`    ${paint('dim', `time: ${formatTiming(timing)}`)}`);
		}
	};

	const summary = (ok: boolean, durationMs: number) => {
		// "0 changed" is the line an operator looks for after a re-run; a dry run says "would change".
		const dryRun = tally.has('would-change');
		const parts = tallyWords
			.map(([status, words]) => ({
				status,
				words,
				count: tally.get(status) ?? 0,
			}))
			.filter(
				({status, count}) => count > 0 || (status === 'changed' && !dryRun),
			)
			.map(({words, count}) => `${count} ${words}`);

		const mark = ok ? paint('green', '✔') : paint('red', '✖');
		const verb = ok ? 'finished in' : 'failed after';
		write(
			`${mark} ${command} ${verb} ${formatDuration(durationMs)}: ${parts.join(' · ')}`,
		);
	};

	return (event: EngineEvent) => {
		switch (event.type) {
			case 'run-start': {
				command = event.command;
				for (const step of event.steps) {
					titles.set(step.id, step.title);
				}

				break;
			}

			case 'phase-start': {
				write(paint('bold', event.phase));
				break;
			}

			case 'step-start': {
				titles.set(event.id, event.title);
				break;
			}

			case 'step-output': {
				// A wait is a milestone: without it a plain run looks hung (an apt lock, DNS).
				if (options.output === false && !isWait(event.line)) {
					break;
				}

				if (!announced.has(event.id)) {
					announced.add(event.id);
					write(`  ${paint('cyan', '›')} ${titles.get(event.id) ?? event.id}`);
				}

				const line = cleanOutput(event.line);
				write(`    ${paint('gray', '│')}${line ? ` ${line}` : ''}`);
				break;
			}

			case 'step-finding': {
				findings.set(event.id, event.finding);
				break;
			}

			case 'step-finish': {
				finish(event);
				break;
			}

			case 'run-finish': {
				summary(event.ok, event.durationMs);
				break;
			}
		}
	};
}
