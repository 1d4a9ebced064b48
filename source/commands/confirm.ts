import {createInterface} from 'node:readline/promises';
import type {Streams} from '../cli-mode.js';

/** A plain y/N question on stderr; only called when the session is interactive. */
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
	} finally {
		readline.close();
	}
}
