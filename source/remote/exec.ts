import {Buffer} from 'node:buffer';
import {constants} from 'node:os';
import {InterruptedError, UserError} from '../errors.js';
import type {Link} from './link.js';
import {lineSplitter} from './lines.js';
import type {Channel} from './ssh2.js';
import {streamStdin} from './stdin.js';
import type {ExecOptions, ExecResult} from './types.js';

/*
 * Every command first prints the pid of the login shell that sshd started for it. sshd makes that
 * shell a session leader, so killing the session (`pkill -s`) stops the command with all its
 * children, which a channel signal would not reach through sudo.
 */
const pidMarker = 'ck8s-pid:';
const markerLine = new RegExp(String.raw`^${pidMarker}\d*\n`);
const pidPrefix = String.raw`printf '${pidMarker}%s\n' "$$" >&2; `;
// The pid is the login shell's first output: it comes unless the shell cannot start. A busy host
// may take seconds to start it; a command closed before it is known would be left running.
const pidWaitMs = 30_000;

export type RawCommand = {
	/** The command line (no secrets: they are in stdin). */
	command: string;
	stdin: string;
	/** More stdin after `stdin`, written as the channel takes it (an upload's file). */
	stdinStream?: AsyncIterable<string>;
	/** How the command is named in timeout messages. */
	label: string;
	options: Pick<
		ExecOptions,
		'timeoutMs' | 'signal' | 'cancel' | 'onLine' | 'stdinTail'
	>;
	/** Stops the remote session `pid` (as root); failures are ignored by the caller. */
	kill: (pid: string) => Promise<void>;
};

export function formatSeconds(ms: number): string {
	return `${ms < 10_000 ? Math.round(ms / 100) / 10 : Math.round(ms / 1000)} s`;
}

function codeOf(code: number | undefined, signal: string | undefined): number {
	if (typeof code === 'number') {
		return code;
	}

	const number = signal
		? constants.signals[`SIG${signal}` as keyof typeof constants.signals]
		: undefined;
	return number === undefined ? 255 : 128 + number;
}

type ExitStatus = {code?: number; signal?: string};

/**
 * The channel, with its exit status recorded from the start: a fast command's exit-status can
 * arrive in the same packet batch as the channel confirmation, before any later listener exists.
 */
async function openChannel(
	link: Link,
	command: string,
): Promise<{channel: Channel; exit: () => ExitStatus | undefined}> {
	link.assertAlive();
	return new Promise((resolve, reject) => {
		link.client.exec(command, (error, channel) => {
			if (error) {
				reject(
					link.lostError() ??
						new UserError(`cannot start a remote command: ${error.message}`),
				);
				return;
			}

			let status: ExitStatus | undefined;
			channel.on('exit', (code?: number, signal?: string) => {
				status = {code: code ?? undefined, signal: signal ?? undefined};
			});
			resolve({channel, exit: () => status});
		});
	});
}

/** Runs one command over the link: streams lines, enforces the timeout, obeys stop and cancel. */
export async function runRaw(link: Link, raw: RawCommand): Promise<ExecResult> {
	const {signal, cancel, timeoutMs, onLine} = raw.options;
	if (signal?.aborted === true || cancel?.aborted === true) {
		throw new InterruptedError();
	}

	const {channel, exit: exitStatus} = await openChannel(
		link,
		pidPrefix + raw.command,
	);
	link.roundTrips++;
	return new Promise<ExecResult>((resolve, reject) => {
		const stdout: Uint8Array[] = [];
		const stderr: Uint8Array[] = [];
		let pid: string | undefined;
		let failure: Error | undefined;
		let stopping = false;

		const out = lineSplitter(line => {
			onLine?.(line, 'stdout');
		});
		// Without a terminal, sshd keeps the channel open until the command ends: stopping it means
		// killing its session, as soon as its pid is known.
		const kill = (known: string) => {
			void raw
				.kill(known)
				.catch(() => undefined)
				.finally(() => {
					channel.close();
				});
		};

		const error = lineSplitter(line => {
			if (pid === undefined && line.startsWith(pidMarker)) {
				pid = line.slice(pidMarker.length);
				if (stopping) {
					kill(pid);
				}

				return;
			}

			onLine?.(line, 'stderr');
		});

		const stop = (reason: Error) => {
			if (stopping) {
				return;
			}

			stopping = true;
			failure = reason;
			if (pid === undefined) {
				// The pid is the command's first output; should it never come, close anyway.
				setTimeout(() => {
					channel.close();
				}, pidWaitMs).unref();
			} else {
				kill(pid);
			}
		};

		const onAbort = () => {
			stop(new InterruptedError());
		};

		const timer =
			timeoutMs === undefined
				? undefined
				: setTimeout(() => {
						stop(
							new UserError(
								`${raw.label} did not finish within ${formatSeconds(timeoutMs)} and was stopped`,
								{
									hint: 'Look at its last output lines; run `codex-k8s-install resume` to try again.',
								},
							),
						);
					}, timeoutMs);
		cancel?.addEventListener('abort', onAbort, {once: true});
		// Cancelled while the channel was opening: the event has passed already.
		if (cancel?.aborted) {
			onAbort();
		}

		const unwatch = link.onLost(lost => {
			failure ??= lost;
			channel.close();
		});

		channel.on('data', (chunk: Uint8Array) => {
			stdout.push(chunk);
			out.push(chunk);
		});
		channel.stderr.on('data', (chunk: Uint8Array) => {
			stderr.push(chunk);
			error.push(chunk);
		});
		channel.on('error', (channelError: Error) => {
			failure ??= link.lostError() ?? channelError;
		});
		channel.on('close', () => {
			clearTimeout(timer);
			cancel?.removeEventListener('abort', onAbort);
			unwatch();
			out.end();
			error.end();
			// A link that died closes its channels before ssh2 reports why: look again shortly.
			setImmediate(() => {
				const exit = exitStatus();
				const reason = failure ?? (exit ? undefined : link.lostError());
				if (reason) {
					reject(reason);
					return;
				}

				if (!exit) {
					reject(
						new UserError(
							`${raw.label} ended without an exit status (the SSH channel closed)`,
							{hint: 'Run `codex-k8s-install resume` to try again.'},
						),
					);
					return;
				}

				resolve({
					code: codeOf(exit.code, exit.signal),
					stdout: Buffer.concat(stdout).toString('utf8'),
					stderr: Buffer.concat(stderr)
						.toString('utf8')
						.replace(markerLine, ''),
				});
			});
		});

		if (raw.stdin) {
			channel.write(raw.stdin);
		}

		if (raw.stdinStream) {
			// A failed read closes the channel: the command's result then says the upload was cut.
			streamStdin(channel, raw.stdinStream).catch(() => {
				channel.close();
			});
		} else if (raw.options.stdinTail) {
			void raw.options.stdinTail.then(
				tail => {
					if (channel.writable) {
						channel.end(tail);
					}
				},
				() => undefined,
			);
		} else {
			channel.end();
		}
	});
}
