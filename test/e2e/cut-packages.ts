import {ensureBuilt} from '../helpers/cli.js';
import {
	aptRunning,
	drillOutcome,
	installArgs,
	laptopFor,
	startCli,
	waitOnGuest,
} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';

// Keepalive every 5 s, lost after 3 missed (source/remote/connect.ts), plus the TCP write timeout.
const lostWithinMs = 30_000;

guestTest(
	'SSH cut while apt runs in the package step: "connection lost" (exit 1) within the keepalive window, resume finishes, a re-run changes nothing',
	async t => {
		t.timeout(200_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const cli = startCli(installArgs(guest), laptop);
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
			const stale = await guest.exec('cat /var/lib/codex-k8s-install/lock');
			// The lost run leaves its lock record (lock-hold.sh); it is this laptop's own dead run, so
			// resume takes it over without --force-unlock, even if its holder still lingers.
			const outcome = await drillOutcome(guest, laptop, stopped);
			t.log(
				outcome.stderrTail,
				`lost after ${lostAfterMs} ms`,
				outcome.resumeStderr,
			);
			t.like(
				{
					...outcome,
					lostInTime: lostAfterMs < lostWithinMs,
					staleRecordLeft: stale.stdout.includes('"pid"'),
					saysLost: /connection to .* was lost/.test(stopped.stderr),
				},
				{
					exitCode: 1,
					saysLost: true,
					lostInTime: true,
					staleRecordLeft: true,
					tellsHowToResume: true,
					stoppedInPackages: true,
					newLogin: 0,
					// Whether the dead session still holds the flock right after the cut depends on when
					// sshd notices; resume must succeed either way (it ends this laptop's own holder).
					resumeExit: 0,
					dpkgConsistent: true,
					finalExit: 0,
					finalChanges: 0,
					lockFreeAtEnd: true,
				},
			);
		});
	},
);
