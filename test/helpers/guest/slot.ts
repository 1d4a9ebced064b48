import path from 'node:path';
import {maxGuests, runtimeDirectory} from './constants.js';
import {acquireLock, type HeldLock} from './lock.js';
import {poll} from './process.js';

export type Slot = {number: number; lock: HeldLock};

/**
 * A guest slot, held across all test workers: it fixes the guest's address (10.213.0.N) and caps
 * how many guests run at once on the machine. Slot numbers start at 2; .1 is the bridge.
 */
export async function acquireSlot(timeoutMs: number): Promise<Slot> {
	const tryFrom = async (number: number): Promise<Slot | undefined> => {
		if (number >= 2 + maxGuests) {
			return undefined;
		}

		const file = path.join(runtimeDirectory, 'slots', `${number}.lock`);
		const lock = await acquireLock(file, false);
		return lock ? {number, lock} : tryFrom(number + 1);
	};

	let slot: Slot | undefined;
	await poll(
		async () => {
			slot = await tryFrom(2);
			return slot !== undefined;
		},
		Date.now() + timeoutMs,
		() =>
			new Error(
				`no guest slot became free within ${timeoutMs} ms (at most ${maxGuests} guests at once)`,
			),
		250,
	);
	return slot!;
}

/**
 * Removes guests left behind in slots nobody holds (a test worker killed with SIGKILL cannot
 * run its exit hook). Slots in use by other workers are left alone.
 */
export async function reclaimIdleSlots(
	destroy: (number: number) => void,
): Promise<void> {
	const numbers = Array.from({length: maxGuests}, (_, index) => index + 2);
	await Promise.all(
		numbers.map(async number => {
			const file = path.join(runtimeDirectory, 'slots', `${number}.lock`);
			const lock = await acquireLock(file, false);
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
