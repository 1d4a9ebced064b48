/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text, useInput} from 'ink';
import SelectInput from 'ink-select-input';
import TextInput from 'ink-text-input';
import {type ReactNode, useState} from 'react';
import type {Tree} from '../../config/tree.js';
import type {KeyChoice} from '../../remote/key-choices.js';
import {
	answersTree,
	back,
	onReview,
	progress,
	reviewed,
	startWizard,
	submit,
	type WizardState,
} from './model.js';
import {Checking} from './Checks.js';
import {modeChoices, type Question} from './questions.js';

/** A read-only look at an answer right after it is given: the token's permissions, the DNS. */
export type AnswerCheck = (
	answers: WizardState['answers'],
) => Promise<ReactNode>;

export type WizardProps = {
	readonly questions: readonly Question[];
	readonly prefill?: Record<string, string>;
	readonly keyChoices?: readonly KeyChoice[];
	/** By field path. */
	readonly checks?: Readonly<Record<string, AnswerCheck>>;
	/** A default drawn from earlier answers (port and user of a ~/.ssh/config alias). */
	readonly suggest?: (
		path: string,
		answers: WizardState['answers'],
	) => string | undefined;
	readonly onDone: (answers: Tree) => void;
	/** Ctrl-C: the caller's interrupt owner decides (docs/contributing.md, House rules). */
	readonly onInterrupt: () => void;
};

type Checked = {path: string; view?: ReactNode};

const keyItems = (choices: readonly KeyChoice[]) => [
	{
		key: 'default',
		value: '',
		label: 'the usual ones: ssh-agent, ~/.ssh/config, ~/.ssh/id_*',
	},
	...choices.map(choice => ({
		key: choice.fingerprint,
		value: choice.path ?? '',
		label: `${choice.type} ${choice.fingerprint} ${choice.comment}${choice.source === 'agent' ? ' (ssh-agent)' : ` ${choice.path!}${choice.encrypted ? ' (passphrase)' : ''}`}`,
	})),
];

function Review({state}: {readonly state: WizardState}) {
	return (
		<Box flexDirection="column">
			<Text bold>Review</Text>
			{reviewed(state).map(({question, text}) => (
				<Text key={question.path}>
					{question.title}:{' '}
					{text === ''
						? question.kind === 'key'
							? 'the usual ones (ssh-agent, ~/.ssh)'
							: '(skipped)'
						: question.kind === 'secret'
							? '(hidden)'
							: text}
				</Text>
			))}
			<Text dimColor>Enter: plan the install · Esc: back</Text>
		</Box>
	);
}

/**
 * The wizard's questions (docs/how-it-works.md), one screen each. It only collects answers: the plan, the run and
 * every check with side effects happen after it, outside React.
 */
export function Wizard(props: WizardProps) {
	const [state, setState] = useState(() =>
		startWizard(props.questions, props.prefill),
	);
	const question = state.questions[state.index];
	const [draft, setDraft] = useState(
		question ? (state.answers[question.path] ?? '') : '',
	);
	const [checked, setChecked] = useState<Checked | undefined>();

	const move = (next: WizardState) => {
		setState(next);
		const target = next.questions[next.index];
		setDraft(
			target
				? (next.answers[target.path] ??
						props.suggest?.(target.path, next.answers) ??
						'')
				: '',
		);
		setChecked(undefined);
	};

	const answer = (text: string) => {
		const next = submit(state, text);
		if (next.error !== undefined || !question) {
			setState(next);
			return;
		}

		const check =
			checked?.path === question.path
				? undefined
				: props.checks?.[question.path];
		const pending = check?.(next.answers);
		if (!pending) {
			move(next);
			return;
		}

		// Stay on the question to show what the check found; Enter again goes on.
		setState({...next, index: state.index});
		setChecked({path: question.path});
		void pending.then(
			view => {
				setChecked({path: question.path, view});
			},
			(error: unknown) => {
				setChecked({
					path: question.path,
					view: <Text color="red">✖ {(error as Error).message}</Text>,
				});
			},
		);
	};

	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			props.onInterrupt();
			return;
		}

		if (key.escape) {
			// Back from a check's result is back to the answer it checked.
			if (checked) {
				setChecked(undefined);
			} else {
				move(back(state));
			}

			return;
		}

		if (onReview(state) && key.return) {
			props.onDone(answersTree(state.answers));
		}
	});

	if (onReview(state) || !question) {
		return <Review state={state} />;
	}

	const {at, of} = progress(state);
	return (
		<Box flexDirection="column">
			<Text>
				<Text dimColor>
					{at}/{of}{' '}
				</Text>
				<Text bold>{question.title}</Text>
			</Text>
			{question.help ? <Text dimColor>{question.help}</Text> : null}
			{question.kind === 'choice' && (
				<SelectInput
					items={modeChoices.map(choice => ({
						key: choice.value,
						value: choice.value,
						label: choice.label,
					}))}
					initialIndex={Math.max(
						0,
						modeChoices.findIndex(choice => choice.value === draft),
					)}
					onSelect={item => {
						answer(item.value);
					}}
				/>
			)}
			{question.kind === 'choice' &&
				modeChoices.map(choice => (
					<Text key={choice.value} dimColor>
						{choice.label}: {choice.explain}
					</Text>
				))}
			{question.kind === 'key' && (
				<SelectInput
					items={keyItems(props.keyChoices ?? [])}
					onSelect={item => {
						answer(item.value);
					}}
				/>
			)}
			{(question.kind === 'text' || question.kind === 'secret') && (
				<Box>
					<Text color="cyan">› </Text>
					<TextInput
						value={draft}
						mask={question.kind === 'secret' ? '•' : undefined}
						placeholder={question.optional ? '(Enter to skip)' : ''}
						onChange={setDraft}
						onSubmit={answer}
					/>
				</Box>
			)}
			{state.error ? <Text color="red">✖ {state.error}</Text> : null}
			{checked ? (checked.view ?? <Checking />) : null}
			{checked?.view ? (
				<Text dimColor>Enter: go on · Esc: change the answer</Text>
			) : null}
		</Box>
	);
}
