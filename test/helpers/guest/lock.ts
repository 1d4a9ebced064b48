import {spawn} from 'node:child_process';
import {mkdirSync} from 'node:fs';
import {Socket} from 'node:net';
import path from 'node:path';
import {sbinPath} from './constants.js';

export type HeldLock = {release(): Promise<void>};

const busy = 75;

/**
 * A cross-process lock held by a `flock` child process for as long as its stdin stays open. The
 * kernel drops the lock when that child exits, so a test worker killed mid-way (ava timeout, Ctrl-C)
 * never leaves a stale lock behind: no pid files, no stale-lock guessing.
 * Resolves undefined when `wait` is false and someone else holds it.
 */
export async function acquireLock(
	file: string,
	wait = true,
): Promise<HeldLock | undefined> {
	mkdirSync(path.dirname(file), {recursive: true, mode: 0o700});
	const child = spawn(
		'flock',
		[
			...(wait ? [] : ['-n', '-E', String(busy)]),
			file,
			'sh',
			'-c',
			'echo locked; exec cat >/dev/null',
		],
		{
			stdio: ['pipe', 'pipe', 'pipe'],
			env: {...process.env, PATH: `${process.env['PATH'] ?? ''}:${sbinPath}`},
		},
	);
	const exited = new Promise<number>(resolve => {
		child.on('exit', code => {
			resolve(code ?? 1);
		});
	});
	child.stdin.on('error', () => {
		// Already gone; the lock is released either way.
	});
	const stderr: string[] = [];
	child.stderr.setEncoding('utf8').on('data', (text: string) => {
		stderr.push(text);
	});

	const locked = await new Promise<boolean>((resolve, reject) => {
		child.on('error', reject);
		child.stdout.setEncoding('utf8').once('data', () => {
			resolve(true);
		});
		void exited.then(code => {
			if (code === busy && !wait) {
				resolve(false);
			} else {
				reject(
					new Error(
						`flock ${file} failed (${code}): ${stderr.join('').trim()}`,
					),
				);
			}
		});
	});
	if (!locked) {
		return undefined;
	}

	// The lock must not keep a finished test worker alive.
	child.unref();
	for (const stream of [child.stdin, child.stdout, child.stderr]) {
		if (stream instanceof Socket) {
			stream.unref();
		}
	}

	return {
		async release() {
			// Unreferenced, the child's exit alone would not keep the event loop alive to see it.
			child.ref();
			child.stdin.end();
			await exited;
		},
	};
}

export async function withLock<T>(
	file: string,
	action: () => Promise<T>,
): Promise<T> {
	const lock = await acquireLock(file);
	try {
		return await action();
	} finally {
		await lock?.release();
	}
}
