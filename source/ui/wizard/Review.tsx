/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text} from 'ink';
import {fieldByPath} from '../../config/fields.js';
import {keptQuestions, reviewed, type WizardState} from './model.js';
import type {Question} from './questions.js';

/** What a skipped answer becomes: the field's default when it has one. */
function skipped({path, kind, whenSkipped}: Question): string {
	if (kind === 'key') {
		return 'the usual ones (ssh-agent, ~/.ssh)';
	}

	if (whenSkipped) {
		return whenSkipped;
	}

	const byDefault = fieldByPath.get(path)?.defaultValue;
	return typeof byDefault === 'string' || typeof byDefault === 'number'
		? `${byDefault} (default)`
		: '(skipped)';
}

/** Every answer, defaults spelled out, and what the checks found wrong repeated. */
export function Review({
	state,
	problems,
}: {
	readonly state: WizardState;
	readonly problems: Readonly<Record<string, string>>;
}) {
	const kept = keptQuestions(state);
	return (
		<Box flexDirection="column">
			<Text bold>Review</Text>
			{reviewed(state).map(({question, text}) => (
				<Box key={question.path} flexDirection="column">
					<Text>
						{question.title}:{' '}
						{text === ''
							? skipped(question)
							: question.kind === 'secret'
								? '(hidden)'
								: text}
					</Text>
					{problems[question.path] ? (
						<Text color="red"> ✖ {problems[question.path]}</Text>
					) : null}
				</Box>
			))}
			{kept.length > 0 ? (
				<Box flexDirection="column">
					<Text>
						Kept in the cluster, not asked again (give its variable to replace
						one):
					</Text>
					{kept.map(question => (
						<Text key={question.path}> {question.title}</Text>
					))}
				</Box>
			) : null}
			<Text dimColor>Enter: plan the install · Esc: back</Text>
		</Box>
	);
}
