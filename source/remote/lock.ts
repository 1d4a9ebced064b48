import {hostname, userInfo} from 'node:os';
import {setTimeout as delay} from 'node:timers/promises';
import {UserError} from '../engine/errors.js';
import type {ExecResult, Prompter, RemoteSession} from './types.js';

/** The record in /var/lib/codex-k8s-install/lock while a run holds the host. */
export type LockRecord = {
	/** `user@hostname` of the computer the installer runs on. */
	owner: string;
	/** The installer's process id on that computer. */
	pid: number;
	startedAt: string;
	command: string;
};

export type LockOptions = {
	command: string;
	owner?: string;
	/** `--force-unlock`: take over a stale lock without asking. A live holder is never overridden. */
	force?: boolean;
	/** Asked before taking over a stale lock; without it (and without force) that is an error. */
	prompter?: Prompter;
	pid?: number;
	now?: () => Date;
};

export type HostLock = {
	readonly record: LockRecord;
	/** The unfinished run whose lock this one took over, if any. */
	readonly tookOver?: LockRecord;
	/** Clears the record and ends the holder; safe to call twice, and after a lost connection. */
	release(): Promise<void>;
};

export const lockPath = '/var/lib/codex-k8s-install/lock';

export function defaultOwner(): string {
	let user = process.env['USER'] ?? 'unknown';
	try {
		user = userInfo().username;
	} catch {
		// No passwd entry for this uid (some containers): the environment's answer stands.
	}

	return `${user}@${hostname()}`;
}

export function parseRecord(text: string): LockRecord {
	try {
		const value = JSON.parse(text) as Partial<LockRecord>;
		return {
			owner: String(value.owner ?? 'an unknown installer'),
			pid: Number(value.pid ?? 0),
			startedAt: String(value.startedAt ?? ''),
			command: String(value.command ?? 'unknown'),
		};
	} catch {
		return {
			owner: 'an unknown installer',
			pid: 0,
			startedAt: '',
			command: 'unknown',
		};
	}
}

function since(record: LockRecord): string {
	const time = new Date(record.startedAt);
	return Number.isNaN(time.getTime())
		? 'an unknown time'
		: `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const describeHolder = (record: LockRecord) =>
	`${record.owner} since ${since(record)} (pid ${record.pid})`;

type Attempt =
	| {
			kind: 'locked';
			holderPid: number;
			done: Promise<ExecResult>;
			tookOver?: string;
	  }
	| {kind: 'held'; record: string}
	| {kind: 'stale'; record: string};

/** Starts the remote holder; settles once it holds the lock, or has refused and ended. */
async function attempt(
	session: RemoteSession,
	values: {LOCK_JSON: string; TAKEOVER: string},
	signal: AbortSignal,
): Promise<Attempt> {
	let onLocked: (pid: number) => void = () => undefined;
	let tookOver: string | undefined;
	const locked = new Promise<number>(resolve => {
		onLocked = resolve;
	});
	const done = session.runScript('lock-hold.sh', {
		values,
		signal,
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
		locked.then(holderPid => ({holderPid})),
		done.then(result => ({result})),
	]);
	if ('holderPid' in first) {
		return {kind: 'locked', holderPid: first.holderPid, done, tookOver};
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

function heldError(raw: string): UserError {
	const record = raw ? parseRecord(raw) : undefined;
	return new UserError(
		record
			? `the host is locked: held by ${describeHolder(record)}`
			: 'the host is locked by another installer that is just starting',
		{
			hint: `Another codex-k8s-install${record ? ` (${record.command})` : ''} is working on this host right now. Wait for it to finish and run again. If that installer is gone, its lock is released as soon as its SSH connection closes.`,
		},
	);
}

const staleMessage = (record: LockRecord) =>
	`a previous run by ${record.owner} did not finish (stale lock since ${since(record)}, pid ${record.pid}, ${record.command})`;

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
	let result = await attempt(
		session,
		{LOCK_JSON, TAKEOVER: options.force ? '*' : ''},
		holder.signal,
	);
	if (result.kind === 'stale') {
		const stale = parseRecord(result.record);
		const confirmed =
			options.prompter &&
			(await options.prompter.confirm(
				`${staleMessage(stale)}. Make sure it is not running any more. Take over its lock?`,
			));
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

	const {holderPid, done} = result;
	let ended = false;
	const markEnded = () => {
		ended = true;
	};

	done.then(markEnded, markEnded);
	let released: Promise<void> | undefined;
	const release = async () => {
		if (ended) {
			return;
		}

		try {
			await session.runScript('lock-release.sh', {
				values: {HOLDER_PID: String(holderPid)},
				timeoutMs: 15_000,
			});
			await Promise.race([
				done.catch(() => undefined),
				delay(5000, undefined, {ref: false}),
			]);
		} catch {
			// The connection is gone: so is the holder, or it goes when the abort below closes it.
		} finally {
			if (!ended) {
				holder.abort();
			}
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
