import {createInterface} from 'node:readline/promises';
import type {Streams} from '../cli-mode.js';

/** A plain y/N question on stderr; only called when the session is interactive. */
export async function askYesNo(
	streams: Streams,
	question: string,
): Promise<boolean> {
	const readline = createInterface({
		input: streams.stdin,
		output: streams.stderr,
	});
	try {
		const answer = await readline.question(`${question} [y/N] `);
		return /^y(es)?$/i.test(answer.trim());
	} finally {
		readline.close();
	}
}
