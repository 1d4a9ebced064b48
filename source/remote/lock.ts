import {setTimeout as delay} from 'node:timers/promises';
import {InterruptedError, UserError} from '../errors.js';
import {
	defaultOwner,
	heldError,
	type LockRecord,
	parseRecord,
	staleMessage,
} from './lock-record.js';
import type {ExecResult, Prompter, RemoteSession} from './types.js';

export {describeHolder, type LockRecord, parseRecord} from './lock-record.js';

export type LockOptions = {
	command: string;
	owner?: string;
	/** `--force-unlock`: take over a stale lock without asking. A live holder is never overridden. */
	force?: boolean;
	/** Asked before taking over a stale lock; without it (and without force) that is an error. */
	prompter?: Prompter;
	pid?: number;
	now?: () => Date;
	/** Ctrl-C while acquiring stops the attempt; once held, only `release()` lets go. */
	signal?: AbortSignal;
};

export type HostLock = {
	readonly record: LockRecord;
	/** The unfinished run whose lock this one took over, if any. */
	readonly tookOver?: LockRecord;
	/** Clears the record and ends the holder; safe to call twice, and after a lost connection. */
	release(): Promise<void>;
};

export const lockPath = '/var/lib/codex-k8s-install/lock';

type Attempt =
	| {
			kind: 'locked';
			done: Promise<ExecResult>;
			/** Tells the holder to clear its record and end, over the stdin it still reads. */
			letGo: () => void;
			tookOver?: string;
	  }
	| {kind: 'held'; record: string}
	| {kind: 'stale'; record: string};

/** The record is of a run from this computer and user whose process is gone. */
export function isOwnDeadRun(record: LockRecord, owner: string): boolean {
	if (record.owner !== owner) {
		return false;
	}

	try {
		process.kill(record.pid, 0);
		return false;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ESRCH';
	}
}

/** Starts the remote holder; settles once it holds the lock, or has refused and ended. */
async function attempt(
	session: RemoteSession,
	values: {LOCK_JSON: string; TAKEOVER: string; BREAK_OWN?: string},
	signal: AbortSignal,
): Promise<Attempt> {
	let onLocked: (pid: number) => void = () => undefined;
	let letGo: () => void = () => undefined;
	let tookOver: string | undefined;
	const locked = new Promise<number>(resolve => {
		onLocked = resolve;
	});
	const stdinTail = new Promise<string>(resolve => {
		letGo = () => {
			resolve('release\n');
		};
	});
	const done = session.runScript('lock-hold.sh', {
		values,
		cancel: signal,
		stdinTail,
		onLine(line, stream) {
			if (stream !== 'stdout') {
				return;
			}

			const match = /^(LOCKED|TOOK) (.*)$/.exec(line);
			if (match?.[1] === 'TOOK') {
				tookOver = match[2];
			} else if (match) {
				onLocked(Number(match[2]));
			}
		},
	});
	// The holder runs for the whole install; its end is observed by release().
	done.catch(() => undefined);
	const first = await Promise.race([
		locked.then(() => ({locked: true})),
		done.then(result => ({result})),
	]);
	if ('locked' in first) {
		return {kind: 'locked', done, letGo, tookOver};
	}

	const {result} = first;
	const refusal = /^(HELD|STALE) (.*)$/m.exec(result.stdout);
	if (refusal && (result.code === 75 || result.code === 76)) {
		return refusal[1] === 'HELD'
			? {kind: 'held', record: refusal[2]!}
			: {kind: 'stale', record: refusal[2]!};
	}

	throw new Error(
		`could not take the host lock ${lockPath} (exit ${result.code}): ${(result.stderr || result.stdout).trim()}`,
	);
}

/**
 * Takes the host lock for this run. A second installer is refused while the first one's SSH
 * connection lives; after a crash the record stays behind and is taken over only with `force`
 * or the operator's confirmation.
 */
export async function acquireLock(
	session: RemoteSession,
	options: LockOptions,
): Promise<HostLock> {
	const record: LockRecord = {
		owner: options.owner ?? defaultOwner(),
		pid: options.pid ?? process.pid,
		startedAt: (options.now?.() ?? new Date()).toISOString(),
		command: options.command,
	};
	const LOCK_JSON = JSON.stringify(record);
	const holder = new AbortController();
	const stop = () => {
		holder.abort();
	};

	options.signal?.addEventListener('abort', stop, {once: true});
	try {
		return await acquireWith(session, options, {LOCK_JSON, record, holder});
	} finally {
		options.signal?.removeEventListener('abort', stop);
	}
}

async function acquireWith(
	session: RemoteSession,
	options: LockOptions,
	{
		LOCK_JSON,
		record,
		holder,
	}: {LOCK_JSON: string; record: LockRecord; holder: AbortController},
): Promise<HostLock> {
	let result = await attempt(
		session,
		{LOCK_JSON, TAKEOVER: options.force ? '*' : ''},
		holder.signal,
	);
	// This computer's own run that died (Ctrl-C twice, a crash, a cut link) needs no confirmation.
	if (
		result.kind !== 'locked' &&
		isOwnDeadRun(parseRecord(result.record), record.owner)
	) {
		result = await attempt(
			session,
			result.kind === 'stale'
				? {LOCK_JSON, TAKEOVER: result.record}
				: {LOCK_JSON, TAKEOVER: '', BREAK_OWN: result.record},
			holder.signal,
		);
	}

	if (result.kind === 'stale') {
		const stale = parseRecord(result.record);
		const confirmed =
			options.prompter &&
			(await options.prompter.confirm(
				`${staleMessage(stale)}. Make sure it is not running any more. Take over its lock?`,
			));
		if (holder.signal.aborted) {
			throw new InterruptedError();
		}

		if (!confirmed) {
			throw new UserError(staleMessage(stale), {
				hint: 'Make sure no other installer is still working on this host, then run again with --force-unlock (or answer yes when asked).',
			});
		}

		// Only exactly the confirmed record is taken over: another run may have started since.
		result = await attempt(
			session,
			{LOCK_JSON, TAKEOVER: result.record},
			holder.signal,
		);
	}

	if (result.kind === 'held') {
		throw heldError(result.record);
	}

	if (result.kind === 'stale') {
		throw new UserError(staleMessage(parseRecord(result.record)), {
			hint: 'The lock changed while you were asked; run again.',
		});
	}

	const {done, letGo} = result;
	let ended = false;
	const markEnded = () => {
		ended = true;
	};

	done.then(markEnded, markEnded);
	let released: Promise<void> | undefined;
	// No new remote command: the holder reads "release" on its stdin, clears the record and ends.
	const release = async () => {
		if (ended) {
			return;
		}

		letGo();
		await Promise.race([
			done.catch(() => undefined),
			delay(5000, undefined, {ref: false}),
		]);
		if (!ended) {
			holder.abort();
		}
	};

	return {
		record,
		tookOver:
			result.tookOver === undefined ? undefined : parseRecord(result.tookOver),
		async release() {
			released ??= release();
			return released;
		},
	};
}
