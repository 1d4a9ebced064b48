import {ensureBuilt, runCliAsync} from '../helpers/cli.js';
import {installArgs, laptopFor} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';

type Report = {
	ok: boolean;
	changes: number;
	roundTrips: number;
	steps: Array<{id: string; status: string}>;
};

guestTest(
	'install --only host from the built CLI hardens a real server; a re-run changes nothing',
	async t => {
		ensureBuilt();
		await withGuest({}, async guest => {
			const {home, env} = laptopFor(guest);
			const args = installArgs(guest);
			const first = await runCliAsync(args, {home, env});
			t.is(first.code, 0, `first run: ${first.stderr}`);
			const firstReport = JSON.parse(first.stdout) as Report;
			t.true(firstReport.ok);
			t.true(firstReport.changes >= 6, `changes: ${firstReport.changes}`);
			t.true(
				firstReport.steps.some(
					step => step.id === 'host.ssh-hardening' && step.status === 'changed',
				),
			);
			const dropIn = await guest.exec(
				'sshd -T | grep -i "^passwordauthentication"',
			);
			t.is(dropIn.stdout.trim(), 'passwordauthentication no');
			const operator = await guest.exec(
				'id -nG codex && test -f /etc/sudoers.d/90-codex-k8s-install',
			);
			t.is(operator.code, 0, operator.stderr);
			const lock = await guest.exec(
				'cat /var/lib/codex-k8s-install/lock 2>/dev/null || true',
			);
			t.notRegex(
				lock.stdout,
				/"pid"/,
				'the host lock is released after the run',
			);

			const second = await runCliAsync(args, {home, env});
			t.is(second.code, 0, `second run: ${second.stderr}`);
			const secondReport = JSON.parse(second.stdout) as Report;
			t.is(secondReport.changes, 0);
			// The round-trip budget (docs/contributing.md): privilege check, host lock, and one probe for every step's facts.
			t.is(secondReport.roundTrips, 3);
			t.deepEqual(
				secondReport.steps
					.filter(step => !['done', 'skipped'].includes(step.status))
					.map(step => `${step.id} ${step.status}`),
				[],
			);
		});
	},
);
