import {ensureBuilt} from '../helpers/cli.js';
import {
	aptRunning,
	drillOutcome,
	installArgs,
	laptopFor,
	startOn,
	waitOnGuest,
} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';

// Keepalive every 5 s, lost after 3 missed (source/remote/connect.ts), plus the TCP write timeout.
const lostWithinMs = 30_000;

guestTest(
	'Ctrl-C while apt runs in the package step: apt finishes, exit 130, lock released; resume finishes, a re-run changes nothing',
	async t => {
		t.timeout(240_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const cli = startOn(installArgs(guest), laptop);
			t.true(
				await waitOnGuest(guest, aptRunning, cli),
				`apt never ran while the CLI did: ${cli.stderr()}`,
			);
			cli.child.kill('SIGINT');
			const stopped = await cli.result;
			const outcome = await drillOutcome(guest, laptop, stopped);
			t.log(outcome.stderrTail, outcome.resumeStderr);
			t.like(outcome, {
				exitCode: 130,
				tellsHowToResume: true,
				reportSaysNotOk: true,
				loginAfterStop: 0,
				// A clean stop: the lock is free and its record empty.
				lockHeldAfterStop: false,
				recordAfterStop: '',
				resumeExit: 0,
				dpkgConsistent: true,
				finalExit: 0,
				finalChanges: 0,
				lockHeldAtEnd: false,
			});
			t.regex(stopped.stderr, /Stopping after the current remote command/);
		});
	},
);

guestTest(
	'SSH cut while apt runs in the package step: "connection lost" (exit 1) within the keepalive window; resume finishes, a re-run changes nothing',
	async t => {
		t.timeout(240_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const cli = startOn(installArgs(guest), laptop);
			t.true(
				await waitOnGuest(guest, aptRunning, cli),
				`apt never ran while the CLI did: ${cli.stderr()}`,
			);
			await guest.cutNetwork();
			const cutAt = Date.now();
			let stopped;
			try {
				stopped = await cli.result;
			} finally {
				await guest.restoreNetwork();
			}

			const lostAfterMs = Date.now() - cutAt;
			// The lost run leaves its lock record; it is this laptop's own dead run, so resume takes
			// it over without --force-unlock, even if its holder still lingers.
			const outcome = await drillOutcome(guest, laptop, stopped);
			t.log(outcome.stderrTail, outcome.resumeStderr);
			t.like(
				{
					...outcome,
					lostInTime: lostAfterMs < lostWithinMs,
					saysLost: /connection to .* was lost/.test(stopped.stderr),
				},
				{
					exitCode: 1,
					saysLost: true,
					lostInTime: true,
					tellsHowToResume: true,
					reportSaysNotOk: true,
					loginAfterStop: 0,
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
