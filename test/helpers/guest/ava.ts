/* eslint-disable ava/no-ignored-test-files, ava/no-skip-test, ava/require-assertion -- a helper that registers tests; skipping with a reason is its point */
import test, {type ExecutionContext} from 'ava';
import {guestWait} from './slot-wait.js';
import {guestSkipReason} from './support.js';

let announced = false;

/** Longer than slot.ts waits for a stuck slot before it gives up, naming the holder. */
const guestWaitLimitMs = 60 * 60_000;

/** A guest test's limit unless it sets its own: a boot and a few SSH sessions on a busy machine. */
const defaultLimitMs = 10 * 60_000;

/**
 * The test's own time limit (`t.timeout`, or ten minutes) counts its own work: while it waits for
 * a guest (a machine shared with other test runs), the limit is lifted, and set again, whole, once
 * the guest is its.
 */
function withOwnTimeLimit(t: ExecutionContext): void {
	const setTimeLimit = t.timeout;
	let limit: {ms: number; message?: string} = {ms: defaultLimitMs};
	setTimeLimit(limit.ms);
	// AVA's `t.timeout` is a writable own property, typed read-only.
	(t as {timeout: ExecutionContext['timeout']}).timeout = Object.assign(
		(ms: number, message?: string) => {
			limit = {ms, message};
			setTimeLimit(ms, message);
		},
		{clear: setTimeLimit.clear},
	);

	guestWait.started = () => {
		setTimeLimit(guestWaitLimitMs, 'waiting for a guest');
	};

	guestWait.ended = () => {
		setTimeLimit(limit.ms, limit.message);
	};
}

/**
 * Registers a test that needs a real Linux guest. Where guests cannot run (outside CI, not root,
 * tools missing) the file's guest tests collapse into one skipped test that says why; under
 * `CI=true` they always run and fail loudly if the harness cannot start.
 */
export function guestTest(
	title: string,
	implementation: (t: ExecutionContext) => Promise<void>,
): void {
	const reason = guestSkipReason();
	if (reason === undefined) {
		test.serial(title, async t => {
			withOwnTimeLimit(t);
			await implementation(t);
		});
		return;
	}

	if (!announced) {
		announced = true;
		test.skip(`real Linux guest tests skipped: ${reason}`, () => {
			// Never runs: skipped.
		});
	}
}
