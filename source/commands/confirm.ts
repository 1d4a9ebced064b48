import {createInterface} from 'node:readline/promises';
import type {Streams} from '../cli-mode.js';
import {StoppedAtQuestionError} from '../errors.js';

/**
 * A plain y/N question on stderr; only called when the session is interactive. Ctrl-C closes
 * readline, whose pending question then rejects with an AbortError: that is the operator stopping.
 */
export async function askYesNo(
	streams: Streams,
	question: string,
	byDefault = false,
): Promise<boolean> {
	const readline = createInterface({
		input: streams.stdin,
		output: streams.stderr,
	});
	try {
		const answer = await readline.question(
			`${question} ${byDefault ? '[Y/n]' : '[y/N]'} `,
		);
		return answer.trim() === '' ? byDefault : /^y(es)?$/i.test(answer.trim());
	} catch (error) {
		if ((error as Error).name === 'AbortError') {
			streams.stderr.write('\n');
			throw new StoppedAtQuestionError();
		}

		throw error;
	} finally {
		readline.close();
	}
}
