/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text, useInput} from 'ink';
import {type ReactNode, useState} from 'react';
import type {Tree} from '../../config/tree.js';
import type {KeyChoice} from '../../remote/key-choices.js';
import {
	withoutNewlines,
	back,
	finalAnswers,
	onReview,
	progress,
	startWizard,
	submit,
	type WizardState,
} from './model.js';
import {Checking} from './Checks.js';
import type {Question} from './questions.js';
import {AnswerField} from './Choices.js';
import {Review} from './Review.js';

/** A read-only look at an answer right after it is given: the token's permissions, the DNS. */
export type AnswerCheck = (
	answers: WizardState['answers'],
) => Promise<CheckResult>;

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
	/** Shown in the header. */
	readonly version?: string;
	/** Whether the target these answers name keeps the platform's secrets (not asked again). */
	readonly secretsKept?: WizardState['secretsKept'];
	readonly onDone: (answers: Tree) => void;
	/** Ctrl-C: the caller's interrupt owner decides (docs/contributing.md, House rules). */
	readonly onInterrupt: () => void;
};

/** A check's result: its view, and a problem to repeat on the review screen. */
export type CheckResult = {view: ReactNode; problem?: string};

type Checked = {path: string; result?: CheckResult};

/**
 * The wizard's questions (docs/how-it-works.md), one screen each. It only collects answers: the plan, the run and
 * every check with side effects happen after it, outside React.
 */
export function Wizard(props: WizardProps) {
	const [state, setState] = useState(() =>
		startWizard(props.questions, props.prefill, props.secretsKept),
	);
	const question = state.questions[state.index];
	const [draft, setDraft] = useState(
		question ? (state.answers[question.path] ?? '') : '',
	);
	const [checked, setChecked] = useState<Checked | undefined>();
	const [problems, setProblems] = useState<Record<string, string>>({});
	const noteProblem = (path: string, problem: string | undefined) => {
		setProblems(({[path]: _, ...others}) =>
			problem === undefined ? others : {...others, [path]: problem},
		);
	};

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
		if (checked && !checked.result) {
			// Enter while the check runs: the answer is not checked yet, so it stays.
			return;
		}

		const next = submit(state, withoutNewlines(text));
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
			result => {
				setChecked({path: question.path, result});
				noteProblem(question.path, result.problem);
			},
			(error: unknown) => {
				const problem = (error as Error).message;
				setChecked({
					path: question.path,
					result: {view: <Text color="red">✖ {problem}</Text>, problem},
				});
				noteProblem(question.path, problem);
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
			props.onDone(finalAnswers(state));
		}
	});

	if (onReview(state) || !question) {
		return <Review state={state} problems={problems} />;
	}

	const {at, of} = progress(state);
	return (
		<Box flexDirection="column">
			{props.version ? (
				<Text dimColor>codex-k8s-install {props.version}</Text>
			) : null}
			<Text>
				<Text dimColor>
					{at}/{of}{' '}
				</Text>
				<Text bold>{question.title}</Text>
			</Text>
			{question.help ? <Text dimColor>{question.help}</Text> : null}
			<AnswerField
				question={question}
				draft={draft}
				keyChoices={props.keyChoices}
				onChange={setDraft}
				onAnswer={answer}
			/>
			{state.error ? <Text color="red">✖ {state.error}</Text> : null}
			{checked ? (checked.result?.view ?? <Checking />) : null}
			{checked?.result ? (
				<Text dimColor>Enter: go on · Esc: change the answer</Text>
			) : null}
		</Box>
	);
}
