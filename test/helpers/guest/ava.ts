/* eslint-disable ava/no-ignored-test-files, ava/no-skip-test, ava/require-assertion -- a helper that registers tests; skipping with a reason is its point */
import test, {type ExecutionContext} from 'ava';
import {guestSkipReason} from './support.js';

let announced = false;

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
		test.serial(title, implementation);
		return;
	}

	if (!announced) {
		announced = true;
		test.skip(`real Linux guest tests skipped: ${reason}`, () => {
			// Never runs: skipped.
		});
	}
}
