/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text} from 'ink';
import type {Phase} from '../config/schema.js';
import type {RunState, RunStep} from './run-state.js';

export type RunViewProps = {
	readonly state: RunState;
	/** `root@host:22 · local mode`. */
	readonly heading: string;
	readonly now: number;
	/** A step running longer than this gets a warning line with what it waits for. */
	readonly slowMs?: number;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

const clock = (ms: number) => {
	const whole = Math.floor(ms / 1000);
	return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
};

const marks: Record<RunStep['status'], {mark: string; color?: string}> = {
	pending: {mark: '·'},
	running: {mark: '›', color: 'cyan'},
	done: {mark: '✔', color: 'green'},
	changed: {mark: '↻', color: 'green'},
	'would-change': {mark: '~', color: 'yellow'},
	skipped: {mark: '-'},
	failed: {mark: '✖', color: 'red'},
};

function StepLine({step, now}: {readonly step: RunStep; readonly now: number}) {
	const {mark, color} = marks[step.status];
	const time =
		step.status === 'running' && step.startedAt !== undefined
			? ` ${clock(now - step.startedAt)}`
			: step.durationMs === undefined
				? ''
				: ` (${seconds(step.durationMs)})`;
	return (
		<Text dimColor={step.status === 'pending'}>
			{'  '}
			<Text color={color}>{mark}</Text> {step.title}
			<Text dimColor>{time}</Text>
		</Text>
	);
}

/** The task tree by phase, with a status pane for the step that runs. */
export function RunView({state, heading, now, slowMs = 60_000}: RunViewProps) {
	const phases: Phase[] = [...new Set(state.steps.map(step => step.phase))];
	const current = state.steps.find(step => step.id === state.current);
	const runningFor =
		current?.startedAt === undefined ? 0 : now - current.startedAt;
	return (
		<Box flexDirection="column">
			<Text bold>
				{heading}
				<Text dimColor>
					{state.startedAt === undefined
						? ''
						: ` · ${clock(state.finished?.durationMs ?? now - state.startedAt)}`}
				</Text>
			</Text>
			{phases.map(phase => (
				<Box key={phase} flexDirection="column">
					<Text>{phase}</Text>
					{state.steps
						.filter(step => step.phase === phase)
						.map(step => (
							<StepLine key={step.id} step={step} now={now} />
						))}
				</Box>
			))}
			{current ? (
				<Box flexDirection="column" borderStyle="round" paddingX={1}>
					<Text>
						{current.title} · {clock(runningFor)}
					</Text>
					{state.output.map((line, index) => (
						// eslint-disable-next-line react/no-array-index-key -- the same line may repeat
						<Text key={index} dimColor wrap="truncate-end">
							{line}
						</Text>
					))}
					{runningFor > slowMs && (
						<Text color="yellow">
							⚠ still working after {clock(runningFor)}
							{state.output.length > 0
								? `: ${state.output.at(-1)!}`
								: ' (no output yet)'}
						</Text>
					)}
				</Box>
			) : null}
		</Box>
	);
}
