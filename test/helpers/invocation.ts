import {Buffer} from 'node:buffer';
import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {PassThrough} from 'node:stream';
import {
	type Flags,
	type Invocation,
	type CommandName,
} from '../../source/commands/index.js';

export type Captured = Invocation & {
	stdoutText(): string;
	stderrText(): string;
};

const collect = () => {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Uint8Array) => {
		text += Buffer.from(chunk).toString('utf8');
	});
	return {stream, text: () => text};
};

/** An in-process invocation with captured output and a private state directory. */
export function invocation(
	command: CommandName,
	flags: Flags,
	options: {
		env?: NodeJS.ProcessEnv;
		interactive?: boolean;
		stateDir?: string;
	} = {},
): Captured {
	const stdout = collect();
	const stderr = collect();
	const stdin = new PassThrough();
	stdin.end();
	return {
		command,
		flags: {
			stateDir: options.stateDir ?? mkdtempSync(join(tmpdir(), 'ck8s-cmd-')),
			...flags,
		},
		streams: {stdin, stdout: stdout.stream, stderr: stderr.stream},
		env: {HOME: mkdtempSync(join(tmpdir(), 'ck8s-home-')), ...options.env},
		interactive: options.interactive ?? false,
		version: '0.0.0-test',
		program: 'codex-k8s-install',
		stdoutText: stdout.text,
		stderrText: stderr.text,
	};
}
