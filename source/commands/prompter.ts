import {createInterface} from 'node:readline/promises';
import {Writable} from 'node:stream';
import type {Streams} from '../cli-mode.js';
import type {Prompter} from '../remote/types.js';
import {askYesNo} from './confirm.js';

/**
 * Plain terminal questions for the SSH layer (host key, passphrase, sudo password) until the Ink
 * wizard asks them up front. Only made for interactive sessions.
 */
export function terminalPrompter(streams: Streams): Prompter {
	return {
		confirm: async question => askYesNo(streams, question),
		async secret(question) {
			streams.stderr.write(`${question} `);
			// The answer must not be echoed: readline writes to a sink that drops everything.
			const silent = new Writable({
				write(_chunk, _encoding, done) {
					done();
				},
			});
			const readline = createInterface({
				input: streams.stdin,
				output: silent,
				terminal: true,
			});
			try {
				return await readline.question('');
			} finally {
				readline.close();
				streams.stderr.write('\n');
			}
		},
	};
}
