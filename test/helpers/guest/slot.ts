import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {maxGuests, runtimeDirectory} from './constants.js';
import {acquireLock, type HeldLock} from './lock.js';
import {delay} from './process.js';

export type Slot = {number: number; lock: HeldLock};

/**
 * Longer than any guest test's own timeout (the longest is 20 min): a slot held longer than this
 * is held by a test that is stuck, not one that is slow.
 */
export const stuckAfterMs = Number(
	process.env['CK8S_TEST_SLOT_STUCK_MS'] ?? 25 * 60_000,
);

const slotNumbers = Array.from({length: maxGuests}, (_, index) => index + 2);
const lockFile = (number: number) =>
	path.join(runtimeDirectory, 'slots', `${number}.lock`);

/** Who holds a slot, written into its lock file by the holder so that a waiter can judge it. */
type Holder = {pid: number; since: number};

function holderOf(number: number): Holder | undefined {
	try {
		const holder = JSON.parse(readFileSync(lockFile(number), 'utf8')) as Holder;
		return typeof holder.pid === 'number' && typeof holder.since === 'number'
			? holder
			: undefined;
	} catch {
		// Not written yet (just taken) or left empty by a release.
		return undefined;
	}
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

async function tryEach(): Promise<Slot | undefined> {
	for (const number of slotNumbers) {
		// eslint-disable-next-line no-await-in-loop -- the first free slot, in order
		const lock = await acquireLock(lockFile(number), false);
		if (lock) {
			return {number, lock};
		}
	}

	return undefined;
}

/**
 * A guest slot, held across all test workers: it fixes the guest's address (10.213.0.N) and caps
 * how many guests run at once on the machine. Slot numbers start at 2; .1 is the bridge.
 *
 * There is no overall time limit: a suite with many guest tests waits as long as its slots keep
 * changing hands. It gives up only when every holder is gone or has held its slot past
 * `stuckAfterMs`, naming them.
 */
export async function acquireSlot(): Promise<Slot> {
	// A holder that has not said who it is yet (it has just taken the slot) is timed from here.
	const firstSeen = new Map<number, number>();
	const holders = () =>
		slotNumbers.map(number => {
			// A dead pid in a held lock is the last holder's note: the kernel released its lock.
			const holder = holderOf(number);
			const known = holder && alive(holder.pid) ? holder : undefined;
			if (!known) {
				firstSeen.set(number, firstSeen.get(number) ?? Date.now());
			}

			return {
				number,
				pid: known?.pid,
				since: known?.since ?? firstSeen.get(number)!,
			};
		});

	for (;;) {
		// eslint-disable-next-line no-await-in-loop -- waiting for a state: a free slot
		const slot = await tryEach();
		if (slot) {
			writeFileSync(
				lockFile(slot.number),
				JSON.stringify({pid: process.pid, since: Date.now()} satisfies Holder),
			);
			return {
				number: slot.number,
				lock: {
					async release() {
						writeFileSync(lockFile(slot.number), '');
						await slot.lock.release();
					},
				},
			};
		}

		const now = Date.now();
		const current = holders();
		if (current.every(holder => now - holder.since >= stuckAfterMs)) {
			const who = current
				.map(
					holder =>
						`slot ${holder.number}: ${holder.pid ? `pid ${holder.pid}` : 'a holder that did not say who it is'}, held ${Math.round((now - holder.since) / 1000)} s`,
				)
				.join('; ');
			throw new Error(
				`no guest slot became free and every holder looks stuck (${who}): stop that test run, or raise CK8S_TEST_SLOT_STUCK_MS`,
			);
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(250);
	}
}

/**
 * Runs `action` while holding every slot, so that no guest can start meanwhile; false, without
 * running it, when some test run holds a slot (its guest is not gone yet).
 */
export async function withNoSlotHeld(action: () => void): Promise<boolean> {
	const held: HeldLock[] = [];
	try {
		for (const number of slotNumbers) {
			// eslint-disable-next-line no-await-in-loop -- all or nothing, in order
			const lock = await acquireLock(lockFile(number), false);
			if (!lock) {
				return false;
			}

			held.push(lock);
		}

		action();
		return true;
	} finally {
		await Promise.all(held.map(async lock => lock.release()));
	}
}

/**
 * Removes guests left behind in slots nobody holds (a test worker killed with SIGKILL cannot
 * run its exit hook). Slots in use by other workers are left alone.
 */
export async function reclaimIdleSlots(
	destroy: (number: number) => void,
): Promise<void> {
	await Promise.all(
		slotNumbers.map(async number => {
			const lock = await acquireLock(lockFile(number), false);
			if (lock) {
				try {
					destroy(number);
				} finally {
					await lock.release();
				}
			}
		}),
	);
}
