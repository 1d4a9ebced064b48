import {basePackagesStep} from '../../../steps/host/base-packages.js';
import {firewall} from '../../../steps/host/firewall.js';
import {guestTest, withGuest} from '../../helpers/guest/index.js';
import {
	guestInput,
	guestLoginVerifier,
	operatorKeyPair,
	rootSession,
	runHostPhase,
} from '../../helpers/host-phase.js';
import {stdoutOf} from '../../helpers/remote-guest.js';

const tableLoaded =
	'nft list table inet codex_k8s_install >/dev/null 2>&1 && echo loaded || echo absent';
const timerActive =
	'systemctl is-active codex-k8s-install-firewall-undo.timer || true';

guestTest(
	'firewall lockout drill: a failed login proof rolls the table back; a lost connection leaves the host timer to remove it; a proven table is marked',
	async t => {
		t.timeout(15 * 60_000);
		await withGuest({name: 'firewall-drill'}, async guest => {
			const operatorKey = operatorKeyPair();
			const input = guestInput(guest, operatorKey);
			const packages = await rootSession(guest);
			const installed = await runHostPhase(packages, input, {
				steps: [basePackagesStep],
			});
			await packages.close();
			t.true(installed.ok, String(installed.error));

			// The new login is refused: rolled back at once, nothing armed, nothing left.
			const refused = await rootSession(guest);
			const rolled = await runHostPhase(refused, input, {
				steps: [firewall],
				async verifyLogin() {
					throw new Error('refused');
				},
			});
			await refused.close();
			t.regex(String(rolled.error), /Firewall rolled back/);
			t.is(await stdoutOf(guest.exec(tableLoaded)), 'absent\n');
			t.is(await stdoutOf(guest.exec(timerActive)), 'inactive\n');

			// The connection dies before the proof: the table stays, the host's timer is armed;
			// when it fires (started by hand here instead of waiting 120 s) the table goes.
			const dying = await rootSession(guest);
			const lost = await runHostPhase(dying, input, {
				steps: [firewall],
				async verifyLogin() {
					await dying.close();
					throw new Error('connection lost');
				},
			});
			t.regex(String(lost.error), /Firewall: the connection was lost/);
			t.is(await stdoutOf(guest.exec(tableLoaded)), 'loaded\n');
			t.is(await stdoutOf(guest.exec(timerActive)), 'active\n');
			await guest.exec(
				'systemctl start --wait codex-k8s-install-firewall-undo.service',
			);
			t.is(await stdoutOf(guest.exec(tableLoaded)), 'absent\n');
			t.is(
				await stdoutOf(
					guest.exec(
						'systemctl is-enabled codex-k8s-install-firewall.service || true',
					),
				),
				'disabled\n',
			);

			// With a login that works, the table is proven and marked; a re-run changes nothing.
			const verifyLogin = guestLoginVerifier(guest, operatorKey);
			const session = await rootSession(guest);
			const proven = await runHostPhase(session, input, {
				steps: [firewall],
				verifyLogin,
			});
			t.true(proven.ok, String(proven.error));
			t.is(await stdoutOf(guest.exec(timerActive)), 'inactive\n');
			const again = await runHostPhase(session, input, {
				steps: [firewall],
				verifyLogin,
			});
			await session.close();
			t.is(again.steps[0]?.status, 'done');
		});
	},
);
