import {fieldByPath} from '../../config/fields.js';
import {ruleFor} from '../../config/issues.js';
import {inputSchema} from '../../config/schema.js';
import {setPath, type Tree} from '../../config/tree.js';
import type {Question} from './questions.js';

/** A paste ends with the newline it was copied with; it is not part of the answer. */
export const withoutNewlines = (text: string) => text.replaceAll(/[\r\n]/g, '');

/** The wizard's whole state; `index === questions.length` is the review screen. */
export type WizardState = {
	questions: readonly Question[];
	index: number;
	/** Raw text per field path; '' is a skipped optional answer. */
	answers: Readonly<Record<string, string>>;
	error?: string;
	/**
	 * Whether the target these answers name already keeps the platform's secrets in its cluster
	 * (this computer's record of an earlier install): those questions are then not asked.
	 */
	secretsKept?: (answers: WizardState['answers']) => boolean;
};

/** A platform secret the target's cluster already keeps is not asked again. */
export const keptHere = (question: Question, state: WizardState) =>
	Boolean(question.keptInCluster && state.secretsKept?.(state.answers));

const applies = (question: Question, state: WizardState) =>
	(!question.serverOnly || state.answers['mode'] === 'server') &&
	!keptHere(question, state);

function nextIndex(state: WizardState, from: number, step: 1 | -1): number {
	let index = from + step;
	while (
		index >= 0 &&
		index < state.questions.length &&
		!applies(state.questions[index]!, state)
	) {
		index += step;
	}

	return index;
}

/** Starts at the first question that applies, answers pre-filled. */
export function startWizard(
	questions: readonly Question[],
	prefill: Record<string, string> = {},
	secretsKept?: WizardState['secretsKept'],
): WizardState {
	const state = {questions, index: -1, answers: prefill, secretsKept};
	return {...state, index: nextIndex(state, -1, 1)};
}

/** The questions not asked because the target's cluster keeps their answers, for the review. */
export const keptQuestions = (state: WizardState) =>
	state.questions.filter(question => keptHere(question, state));

/** The answers as a config tree: numbers as numbers, skipped ones left out. */
export function answersTree(answers: WizardState['answers']): Tree {
	const tree: Tree = {};
	for (const [path, text] of Object.entries(answers)) {
		const value = text.trim();
		if (value !== '') {
			setPath(
				tree,
				path,
				fieldByPath.get(path)?.kind === 'number' ? Number(value) : value,
			);
		}
	}

	return tree;
}

/** The answers to hand on: none for a question that was not asked because the cluster keeps it. */
export function finalAnswers(state: WizardState): Tree {
	const kept = new Set(keptQuestions(state).map(question => question.path));
	return answersTree(
		Object.fromEntries(
			Object.entries(state.answers).filter(([path]) => !kept.has(path)),
		),
	);
}

/** What is wrong with `text` for the question, in the command line's words; undefined when fine. */
export function problemWith(
	question: Question,
	text: string,
	answers: WizardState['answers'],
): string | undefined {
	if (text.trim() === '') {
		return question.optional ? undefined : 'an answer is needed here';
	}

	const tree = answersTree({...answers, [question.path]: text});
	const parsed = inputSchema.safeParse(tree);
	const issue = parsed.error?.issues.find(
		one => one.path.join('.') === question.path,
	);
	const field = fieldByPath.get(question.path);
	return issue && (field ? ruleFor(issue, field) : issue.message);
}

/** Enter: keep a valid answer and go on; an invalid one stays, with the problem shown. */
export function submit(state: WizardState, text: string): WizardState {
	const question = state.questions[state.index];
	if (!question) {
		return state;
	}

	const error = problemWith(question, text, state.answers);
	if (error) {
		return {
			...state,
			answers: {...state.answers, [question.path]: text},
			error,
		};
	}

	const answered = {
		...state,
		answers: {...state.answers, [question.path]: text},
		error: undefined,
	};
	return {...answered, index: nextIndex(answered, state.index, 1)};
}

/** Escape: the previous question that applies (the first one stays). */
export function back(state: WizardState): WizardState {
	const index = nextIndex(state, state.index, -1);
	return index < 0 ? state : {...state, index, error: undefined};
}

export const onReview = (state: WizardState) =>
	state.index >= state.questions.length;

/** The questions that apply, with their answers, for the review screen. */
export const reviewed = (state: WizardState) =>
	state.questions
		.filter(question => applies(question, state))
		.map(question => ({
			question,
			text: state.answers[question.path] ?? '',
		}));

/** Where the operator is among the questions that apply now (the mode changes how many). */
export function progress(state: WizardState): {at: number; of: number} {
	const applying = state.questions.filter(question => applies(question, state));
	const current = state.questions[state.index];
	return {
		at: current ? applying.indexOf(current) + 1 : applying.length,
		of: applying.length,
	};
}
