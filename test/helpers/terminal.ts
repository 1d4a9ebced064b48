import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import {join} from 'node:path';
import {setTimeout as delay} from 'node:timers/promises';
import {stripVTControlCharacters} from 'node:util';
import {type CliCommand, defaultCommand} from './cli.js';

export type Terminal = {
	child: ChildProcess;
	exitCode: Promise<number | undefined>;
	/** Everything the program drew so far, without escape sequences. */
	screen(): string;
	/** Resolves once `pattern` appears after what was seen before; fails after `timeoutMs`. */
	waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
	type(...keys: string[]): Promise<void>;
};

/**
 * The built CLI in a real pseudo-terminal: util-linux `script` allocates it (no native module
 * needed), forwards what is typed and echoes what the program draws.
 */
export function startInTerminal(
	args: string[],
	options: {
		home: string;
		env?: NodeJS.ProcessEnv;
		columns?: number;
		command?: CliCommand;
	},
): Terminal {
	const command = [...(options.command ?? defaultCommand), ...args]
		.map(part => `'${part.replaceAll("'", String.raw`'\''`)}'`)
		.join(' ');
	const child = spawn(
		'script',
		[
			'--quiet',
			'--return',
			'--flush',
			'--command',
			`stty cols ${options.columns ?? 80} rows 50; exec ${command}`,
			'/dev/null',
		],
		{
			cwd: options.home,
			stdio: ['pipe', 'pipe', 'pipe'],
			env: {
				PATH: process.env['PATH'],
				HOME: options.home,
				TERM: 'xterm-256color',
				CODEXK8S_STATE_DIR: join(options.home, 'state'),
				...options.env,
			},
		},
	);
	let output = '';
	let seen = 0;
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		output += chunk;
	});
	const screen = () => stripVTControlCharacters(output);
	return {
		child,
		screen,
		async waitFor(pattern, timeoutMs = 30_000) {
			const deadline = Date.now() + timeoutMs;
			while (Date.now() < deadline) {
				const match = pattern.exec(screen().slice(seen));
				if (match) {
					seen += match.index + match[0].length;
					return;
				}

				// eslint-disable-next-line no-await-in-loop -- polling the screen
				await delay(50);
			}

			throw new Error(
				`${String(pattern)} did not appear within ${timeoutMs} ms; the screen ends with:\n${screen().slice(-1500)}`,
			);
		},
		async type(...keys) {
			for (const key of keys) {
				child.stdin.write(key);
				// eslint-disable-next-line no-await-in-loop -- one key after the other, as typed
				await delay(120);
			}
		},
		exitCode: (async () => {
			const [code] = (await once(child, 'close')) as [number | undefined];
			return code ?? undefined;
		})(),
	};
}
