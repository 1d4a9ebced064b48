import {ensureBuilt} from '../helpers/cli.js';
import {
	aptRunning,
	drillOutcome,
	laptopFor,
	startUntilApt,
	strike,
} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';

const expected = {
	// Apt finishes (a running remote command is never cut), the lock is released and emptied.
	'Ctrl-C': {
		exitCode: 130,
		says: /Stopping after the current remote command/,
		clean: {
			aptRunningAfterStop: false,
			lockHeldAfterStop: false,
			recordAfterStop: '',
		},
	},
	// The lost run leaves its lock record; it is this laptop's own dead run, so resume takes it
	// over without --force-unlock, even if its holder still lingers.
	'SSH cut': {
		exitCode: 1,
		says: /connection to .* was lost/,
		clean: {},
	},
} as const;

for (const kind of ['Ctrl-C', 'SSH cut'] as const) {
	guestTest(
		`${kind} while apt runs in the package step: exit ${expected[kind].exitCode}, resume finishes, dpkg is consistent, a re-run changes nothing`,
		async t => {
			t.timeout(8 * 60_000);
			ensureBuilt();
			await withGuest({}, async guest => {
				const laptop = laptopFor(guest);
				const cli = await startUntilApt(guest, laptop);
				// The wait for the CLI's end is bounded by the test's timeout, not timed: under load,
				// noticing a lost link (keepalive, source/remote/connect.ts) may take longer.
				const stopped = await strike(kind, cli, guest);
				const aptAfterStop = await guest.exec(aptRunning);
				const outcome = await drillOutcome(guest, laptop, stopped);
				t.log(outcome.stderrTail, outcome.resumeStderr);
				t.like(
					{
						...outcome,
						says: expected[kind].says.test(stopped.stderr),
						exited:
							cli.child.exitCode !== null || cli.child.signalCode !== null,
						aptRunningAfterStop: aptAfterStop.code === 0,
					},
					{
						exitCode: expected[kind].exitCode,
						says: true,
						exited: true,
						tellsHowToResume: true,
						reportSaysNotOk: true,
						loginAfterStop: 0,
						...expected[kind].clean,
						resumeExit: 0,
						dpkgConsistent: true,
						finalExit: 0,
						finalChanges: 0,
						lockHeldAtEnd: false,
					},
				);
			});
		},
	);
}
