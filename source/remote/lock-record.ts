import {hostname, userInfo} from 'node:os';
import {UserError} from '../errors.js';

/** The record in /var/lib/codex-k8s-install/lock while a run holds the host. */
export type LockRecord = {
	/** `user@hostname` of the computer the installer runs on. */
	owner: string;
	/** The installer's process id on that computer. */
	pid: number;
	startedAt: string;
	command: string;
};

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

export function since(record: LockRecord): string {
	const time = new Date(record.startedAt);
	return Number.isNaN(time.getTime())
		? 'an unknown time'
		: `${time.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export const describeHolder = (record: LockRecord) =>
	`${record.owner} since ${since(record)} (pid ${record.pid})`;

export function heldError(raw: string): UserError {
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

export const staleMessage = (record: LockRecord) =>
	`a previous run by ${record.owner} did not finish (stale lock since ${since(record)}, pid ${record.pid}, ${record.command})`;
