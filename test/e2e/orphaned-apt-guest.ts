import {setTimeout as delay} from 'node:timers/promises';
import {ensureBuilt} from '../helpers/cli.js';
import {installArgs, laptopFor, reportOf, startOn} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {basePackages, journalPackages} from '../../steps/host/paths.js';

/*
Issue 12 item 10, on a real guest: an apt run left behind by a killed install still holds the
lock when the next run starts. A plain run (no terminal, no --verbose) says what it waits for; once
that apt has installed the packages, the package step is checked again and reports them as already
there, not as installed by this run.
*/
guestTest(
	'an apt run left behind: the plain run shows the wait, and does not claim the packages that run installed',
	async t => {
		t.timeout(8 * 60_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const packages = [...basePackages, ...journalPackages].join(' ');
			// Holds the dpkg front-end lock as the orphaned apt-get did, until told to go on.
			const orphan = await guest.exec(
				`setsid flock /var/lib/dpkg/lock-frontend sh -c 'while [ ! -e /run/ck8s-go ]; do sleep 0.2; done; DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends ${packages}' >/var/log/ck8s-orphan.log 2>&1 < /dev/null &`,
			);
			t.is(orphan.code, 0, orphan.stderr);

			const cli = startOn(installArgs(guest), laptop);
			// State, not time: the run has said (without --verbose) that it waits for the lock.
			while (
				!/waiting for flock \(pid \d+\) holding \/var\/lib\/dpkg\/lock-frontend/.test(
					cli.stderr(),
				) &&
				cli.child.exitCode === null
			) {
				// eslint-disable-next-line no-await-in-loop
				await delay(50);
			}

			t.regex(cli.stderr(), /waiting for flock/, 'the wait is shown');
			const go = await guest.exec('touch /run/ck8s-go');
			t.is(go.code, 0);
			const result = await cli.result;
			t.is(result.code, 0, result.stderr);
			const log = await guest.exec('tail -n 3 /var/log/ck8s-orphan.log');
			t.log(log.stdout);
			t.true(reportOf(result).ok);
			const {steps} = JSON.parse(result.stdout) as {
				steps: Array<{id: string; changes?: string[]}>;
			};
			const packageStep = steps.find(step => step.id === 'host.base-packages');
			// The apt proxy drop-in is this run's change; the packages are not.
			t.deepEqual(packageStep?.changes, [
				'create /etc/apt/apt.conf.d/80codex-k8s-install-proxy',
			]);

			const again = await startOn(installArgs(guest), laptop).result;
			t.is(reportOf(again).changes, 0, again.stderr);
		});
	},
);
