/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text} from 'ink';
import {InterruptedError, UserError} from '../errors.js';
import {mayHaveChanged, type RunResult} from '../engine/runner.js';

export type SummaryProps = {
	readonly result: RunResult;
	readonly target: string;
	readonly mode?: string;
	readonly logFile?: string;
	/** Phases this version does not install yet, named so nobody takes the run for complete. */
	readonly later?: readonly string[];
	/** The exact command that continues this run. */
	readonly resumeCommand: string;
};

function Failure({
	result,
	resumeCommand,
}: Pick<SummaryProps, 'result' | 'resumeCommand'>) {
	const failed = result.steps.find(step => step.status === 'failed');
	const {error} = result;
	const hint = error instanceof UserError ? error.hint : undefined;
	return (
		<Box flexDirection="column">
			<Text bold color="red">
				{error instanceof InterruptedError ? '■ Stopped' : '✖ Failed'}
				{failed ? ` at ${failed.title}` : ' before the first step'}
			</Text>
			<Text>{error instanceof Error ? error.message : String(error)}</Text>
			{hint?.split('\n').map(line => (
				<Text key={line} dimColor>
					→ {line}
				</Text>
			))}
			{mayHaveChanged(result) ? (
				<Text>
					Continue with: <Text bold>{resumeCommand}</Text>
				</Text>
			) : null}
		</Box>
	);
}

/** The end of a run: what changed, where the log is, what next; or what failed and how to go on. */
export function Summary(props: SummaryProps) {
	const {result, target, mode, logFile, later = []} = props;
	const changed = result.steps.filter(step => step.status === 'changed');
	return (
		<Box flexDirection="column">
			<Text bold>
				{target}
				{mode ? ` · ${mode} mode` : ''}
			</Text>
			{changed.length === 0 && result.ok ? (
				<Text color="green">
					✔ Everything was already in place: nothing changed.
				</Text>
			) : null}
			{changed.map(step => (
				<Box key={step.id} flexDirection="column">
					<Text color="green">✔ {step.title}</Text>
					{step.changes.map(change => (
						<Box key={change} paddingLeft={2}>
							<Text dimColor>· {change}</Text>
						</Box>
					))}
					{step.note ? (
						<Box paddingLeft={2}>
							<Text>→ {step.note}</Text>
						</Box>
					) : null}
				</Box>
			))}
			{!result.ok && (
				<Failure result={result} resumeCommand={props.resumeCommand} />
			)}
			{result.ok && later.length > 0 ? (
				<Text>
					Next: {later.join(', ')} come with a later version of this installer.
				</Text>
			) : null}
			{logFile ? <Text dimColor>Log: {logFile}</Text> : null}
		</Box>
	);
}
