import {Buffer} from 'node:buffer';
import {spawn, spawnSync} from 'node:child_process';
import {constants} from 'node:os';
import {sbinPath} from './constants.js';

export type RunResult = {stdout: string; stderr: string; code: number};

export type RunOptions = {
	stdin?: string | Uint8Array;
	env?: Record<string, string>;
	timeoutMs?: number;
};

// Root's PATH is not always a login PATH (sudo, CI runners); the tools used here live in sbin.
function environment(extra?: Record<string, string>): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${process.env['PATH'] ?? ''}:${sbinPath}`,
		...extra,
	};
}

function exitCode(
	code: number | undefined,
	signal: string | undefined,
): number {
	if (code !== undefined) {
		return code;
	}

	const number = Object.entries(constants.signals).find(
		([name]) => name === signal,
	)?.[1];
	return number === undefined ? 1 : 128 + number;
}

export async function run(
	command: string,
	args: readonly string[],
	options: RunOptions = {},
): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(command, args, {
			env: environment(options.env),
			stdio: ['pipe', 'pipe', 'pipe'],
			timeout: options.timeoutMs,
			killSignal: 'SIGKILL',
		});
		const stdout: Uint8Array[] = [];
		const stderr: Uint8Array[] = [];
		child.stdout.on('data', (chunk: Uint8Array) => {
			stdout.push(chunk);
		});
		child.stderr.on('data', (chunk: Uint8Array) => {
			stderr.push(chunk);
		});
		child.stdin.on('error', () => {
			// The command may exit without reading its input; that is its answer, not ours to report.
		});
		child.on('error', reject);
		child.on('close', (code, signal) => {
			resolve({
				stdout: Buffer.concat(stdout).toString(),
				stderr: Buffer.concat(stderr).toString(),
				code: exitCode(code ?? undefined, signal ?? undefined),
			});
		});
		child.stdin.end(options.stdin);
	});
}

export function describeFailure(
	command: string,
	args: readonly string[],
	result: RunResult,
): string {
	const output = (result.stderr.trim() || result.stdout.trim())
		.split('\n')
		.slice(-15)
		.join('\n');
	return `\`${[command, ...args].join(' ')}\` exited with ${result.code}${output ? `:\n${output}` : ''}`;
}

export async function runOk(
	command: string,
	args: readonly string[],
	options?: RunOptions,
): Promise<string> {
	const result = await run(command, args, options);
	if (result.code !== 0) {
		throw new Error(describeFailure(command, args, result));
	}

	return result.stdout;
}

/** Synchronous variant for teardown from a process `exit` hook, where nothing asynchronous runs. */
export function runSync(command: string, args: readonly string[]): RunResult {
	const result = spawnSync(command, args, {
		env: environment(),
		encoding: 'utf8',
		timeout: 30_000,
	});
	return {
		stdout: result.stdout ?? '',
		stderr: result.stderr ?? '',
		code: result.error
			? 127
			: exitCode(result.status ?? undefined, result.signal ?? undefined),
	};
}

export async function delay(ms: number): Promise<void> {
	return new Promise(resolve => {
		setTimeout(resolve, ms);
	});
}

/** Re-checks every `intervalMs` until `check` holds; throws `onTimeout()` after `deadline`. */
export async function poll(
	check: () => boolean | Promise<boolean>,
	deadline: number,
	onTimeout: () => Error,
	intervalMs = 50,
): Promise<void> {
	if (await check()) {
		return;
	}

	if (Date.now() > deadline) {
		throw onTimeout();
	}

	await delay(intervalMs);
	return poll(check, deadline, onTimeout, intervalMs);
}

export function sleepSync(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
