/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text, useStdout} from 'ink';
import SelectInput from 'ink-select-input';
import TextInput from 'ink-text-input';
import type {KeyChoice} from '../../remote/key-choices.js';
import {noKeyFound} from '../../remote/login-keys.js';
import {withoutNewlines} from './model.js';
import {modeChoices, type Question} from './questions.js';

const usualKeys = 'the usual ones: ssh-agent, ~/.ssh/config, ~/.ssh/id_*';

const labelOf = (choice: KeyChoice) =>
	`${choice.type} ${choice.fingerprint} ${choice.comment}${choice.source === 'agent' ? ' (ssh-agent)' : ` ${choice.path!}${choice.encrypted ? ' (passphrase)' : ''}`}`;

/** Cut to `width` columns with an ellipsis: a key's line must not wrap into the next one. */
const fit = (text: string, width: number) =>
	text.length <= width ? text : `${text.slice(0, Math.max(1, width - 1))}…`;

/** The keys to log in with, one line each however narrow the terminal. */
export function KeyList({
	choices,
	onSelect,
}: {
	readonly choices: readonly KeyChoice[];
	readonly onSelect: (path: string) => void;
}) {
	const {stdout} = useStdout();
	// The select marker takes two columns.
	const width = (stdout.columns || 80) - 2;
	return (
		<SelectInput
			items={[
				{key: 'default', value: '', label: fit(usualKeys, width)},
				...choices.map(choice => ({
					key: choice.fingerprint,
					value: choice.path ?? '',
					label: fit(labelOf(choice), width),
				})),
			]}
			onSelect={item => {
				onSelect(item.value);
			}}
		/>
	);
}

/** The key step when there is no key at all: say so, and how to make one or point at one. */
export function NoKey() {
	return (
		<Box flexDirection="column">
			<Text color="red">✖ {noKeyFound.problem}</Text>
			<Text dimColor>
				→ Make one with `ssh-keygen -t ed25519` (and put its .pub on the
				server), or type the path of the private key you log in with
			</Text>
		</Box>
	);
}

/** Local or server mode, each explained below the list. */
export function ModeChoice({
	current,
	onSelect,
}: {
	readonly current: string;
	readonly onSelect: (mode: string) => void;
}) {
	return (
		<Box flexDirection="column">
			<SelectInput
				items={modeChoices.map(choice => ({
					key: choice.value,
					value: choice.value,
					label: choice.label,
				}))}
				initialIndex={Math.max(
					0,
					modeChoices.findIndex(choice => choice.value === current),
				)}
				onSelect={item => {
					onSelect(item.value);
				}}
			/>
			{modeChoices.map(choice => (
				<Text key={choice.value} dimColor>
					{choice.label}: {choice.explain}
				</Text>
			))}
		</Box>
	);
}

/** Where the answer is given: the mode list, the key list, or a (masked) text field. */
export function AnswerField({
	question,
	draft,
	keyChoices,
	onChange,
	onAnswer,
}: {
	readonly question: Question;
	readonly draft: string;
	readonly keyChoices?: readonly KeyChoice[];
	readonly onChange: (text: string) => void;
	readonly onAnswer: (text: string) => void;
}) {
	if (question.kind === 'choice') {
		return <ModeChoice current={draft} onSelect={onAnswer} />;
	}

	const keyless = question.kind === 'key' && keyChoices?.length === 0;
	if (question.kind === 'key' && !keyless) {
		return <KeyList choices={keyChoices ?? []} onSelect={onAnswer} />;
	}

	return (
		<Box flexDirection="column">
			{keyless ? <NoKey /> : null}
			<Box>
				<Text color="cyan">› </Text>
				<TextInput
					value={draft}
					mask={question.kind === 'secret' ? '•' : undefined}
					placeholder={question.optional ? '(Enter to skip)' : ''}
					onChange={text => {
						onChange(withoutNewlines(text));
					}}
					onSubmit={onAnswer}
				/>
			</Box>
		</Box>
	);
}
