import {render} from 'ink';
import type {Streams} from '../cli-mode.js';
import {StoppedAtQuestionError} from '../errors.js';
import type {Prompter} from '../remote/types.js';
import {Confirm, Secret} from './Confirm.js';

/**
 * The SSH layer's questions (host key, passphrase, sudo password) as screens, before the run
 * starts: one at a time, gone from the screen once answered.
 */
export function inkPrompter(streams: Streams): Prompter {
	const ask = async <T,>(
		screen: (answer: (value: T) => void, stop: () => void) => React.ReactNode,
	): Promise<T> =>
		new Promise<T>((resolve, reject) => {
			const app = render(
				screen(
					value => {
						app.clear();
						app.unmount();
						resolve(value);
					},
					() => {
						app.clear();
						app.unmount();
						reject(new StoppedAtQuestionError());
					},
				),
				{
					stdin: streams.stdin as NodeJS.ReadStream,
					stdout: streams.stderr as NodeJS.WriteStream,
					exitOnCtrlC: false,
				},
			);
		});

	return {
		confirm: async question =>
			ask<boolean>((answer, stop) => (
				<Confirm question={question} onAnswer={answer} onInterrupt={stop} />
			)),
		secret: async question =>
			ask<string>((answer, stop) => (
				<Secret question={question} onAnswer={answer} onInterrupt={stop} />
			)),
	};
}
