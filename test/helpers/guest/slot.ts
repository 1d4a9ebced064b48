import path from 'node:path';
import {maxGuests, runtimeDirectory} from './constants.js';
import {acquireLock, type HeldLock} from './lock.js';
import {delay} from './process.js';

export type Slot = {number: number; lock: HeldLock};

/**
 * A guest slot, held across all test workers: it fixes the guest's address (10.213.0.N) and caps
 * how many guests run at once on the machine. Slot numbers start at 2; .1 is the bridge.
 */
export async function acquireSlot(timeoutMs: number): Promise<Slot> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		for (let number = 2; number < 2 + maxGuests; number++) {
			// eslint-disable-next-line no-await-in-loop
			const lock = await acquireLock(
				path.join(runtimeDirectory, 'slots', `${number}.lock`),
				false,
			);
			if (lock) {
				return {number, lock};
			}
		}

		if (Date.now() > deadline) {
			throw new Error(
				`no guest slot became free within ${timeoutMs} ms (at most ${maxGuests} guests at once)`,
			);
		}

		// eslint-disable-next-line no-await-in-loop
		await delay(250);
	}
}
