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

guestTest(
	'Ctrl-C while apt runs in the package step: exit 130, resume finishes, a re-run changes nothing',
	async t => {
		t.timeout(180_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const cli = startCli(installArgs(guest), laptop);
			t.true(
				await waitOnGuest(guest, aptRunning, cli),
				`apt never ran while the CLI did: ${cli.stderr()}`,
			);
			cli.child.kill('SIGINT');
			const outcome = await drillOutcome(guest, laptop, await cli.result);
			t.log(outcome.stderrTail);
			t.like(outcome, {
				exitCode: 130,
				tellsHowToResume: true,
				stoppedInPackages: true,
				newLogin: 0,
				lockFreeAfterStop: true,
				resumeExit: 0,
				dpkgConsistent: true,
				finalExit: 0,
				finalChanges: 0,
				lockFreeAtEnd: true,
			});
		});
	},
);
