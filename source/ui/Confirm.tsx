/* eslint-disable unicorn/filename-case -- components are PascalCase (docs/contributing.md, House rules) */
import {Box, Text, useInput} from 'ink';
import TextInput from 'ink-text-input';
import {useState} from 'react';

export type ConfirmProps = {
	readonly question: string;
	/** The answer Enter gives. */
	readonly isYesByDefault?: boolean;
	readonly onAnswer: (yes: boolean) => void;
	readonly onInterrupt: () => void;
};

/** A yes/no question: y or n answers at once, Enter takes the default, Escape says no. */
export function Confirm({
	question,
	isYesByDefault = false,
	onAnswer,
	onInterrupt,
}: ConfirmProps) {
	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			onInterrupt();
		} else if (/^y$/i.test(input)) {
			onAnswer(true);
		} else if (/^n$/i.test(input) || key.escape) {
			onAnswer(false);
		} else if (key.return) {
			onAnswer(isYesByDefault);
		}
	});
	return (
		<Box flexDirection="column">
			<Text>{question}</Text>
			<Text dimColor>{isYesByDefault ? 'Y/n' : 'y/N'}</Text>
		</Box>
	);
}

export type SecretProps = {
	readonly question: string;
	readonly onAnswer: (secret: string) => void;
	readonly onInterrupt: () => void;
};

/** A secret, masked while typed; never drawn. */
export function Secret({question, onAnswer, onInterrupt}: SecretProps) {
	const [value, setValue] = useState('');
	useInput((input, key) => {
		if (key.ctrl && input === 'c') {
			onInterrupt();
		}
	});
	return (
		<Box flexDirection="column">
			<Text>{question}</Text>
			<Box>
				<Text color="cyan">› </Text>
				<TextInput
					value={value}
					mask="•"
					onChange={setValue}
					onSubmit={onAnswer}
				/>
			</Box>
		</Box>
	);
}
