/**
 * What the test runner does while a test waits for a guest (a root filesystem build, a slot held
 * by other test runs on the machine): guest tests' own time limits are for their own work, so
 * test/helpers/guest/ava.ts suspends them meanwhile. Outside ava (the benchmarks) nothing happens.
 */
export const guestWait = {
	started() {
		// Set by the test runner.
	},
	ended() {
		// Set by the test runner.
	},
};
