import {operatorUser} from '../../../steps/host/operator-user.js';
import {sshHardeningStep} from '../../../steps/host/ssh-hardening.js';
import {guestTest, withGuest} from '../../helpers/guest/index.js';
import {
	guestInput,
	guestLoginVerifier,
	loginAs,
	operatorKeyPair,
	rootSession,
	runHostPhase,
} from '../../helpers/host-phase.js';
import {stdoutOf} from '../../helpers/remote-guest.js';
import {waitFor} from '../../helpers/cluster/wait.js';

const denyOperator = '/etc/ssh/sshd_config.d/01-test-deny-operator.conf';

guestTest(
	'lockout drill: when the operator cannot log in after the reload, the drop-in is rolled back and the host stays reachable',
	async t => {
		t.timeout(15 * 60_000);
		await withGuest({name: 'host-lockout'}, async guest => {
			const operatorKey = operatorKeyPair();
			const verifyLogin = guestLoginVerifier(guest, operatorKey);
			const steps = [operatorUser, sshHardeningStep({loginTimeoutMs: 4000})];
			const input = guestInput(guest, operatorKey);
			const before = await guest.exec('sshd -T');
			t.regex(before.stdout, /^passwordauthentication yes$/m);
			// Read by sshd only at the reload our step makes: the new configuration shuts the operator out.
			await guest.exec(`echo 'AllowUsers root' > ${denyOperator}`);

			const session = await rootSession(guest);
			const result = await runHostPhase(session, input, {steps, verifyLogin});
			t.false(result.ok);
			const failed = result.steps.find(
				step => step.id === 'host.ssh-hardening',
			);
			t.is(failed?.status, 'failed');
			t.regex(failed?.error ?? '', /rolled back: a new login as codex failed/);
			// The open session survived, the drop-in is gone, sshd runs the previous settings.
			const still = await session.exec('true');
			t.is(still.code, 0);
			await session.close();
			const dropIn = await guest.exec(
				'test -e /etc/ssh/sshd_config.d/00-codex-k8s-install.conf',
			);
			t.is(dropIn.code, 1);
			const after = await guest.exec('sshd -T');
			t.regex(after.stdout, /^passwordauthentication yes$/m);
			const root = await loginAs(guest, 'root', guest.rootKeyPath);
			t.is(root.code, 0, 'a new root login works');

			// Without the obstacle the same steps prove the operator and finish.
			await guest.exec(`rm ${denyOperator}`);
			const retry = await rootSession(guest);
			const fixed = await runHostPhase(retry, input, {steps, verifyLogin});
			await retry.close();
			t.true(fixed.ok, String(fixed.error));
			t.is(fixed.steps.at(-1)?.status, 'changed');
			const operator = await loginAs(guest, 'codex', operatorKey.path);
			t.is(operator.code, 0);

			// The connection dies before the proof, so the installer cannot roll back: the host
			// undoes the change by itself (a drop-in that shuts the operator out stands for any
			// bad change).
			await guest.exec(`echo 'AllowUsers root' > ${denyOperator}`);
			const dying = await rootSession(guest);
			const cut = await runHostPhase(dying, input, {
				steps: [
					sshHardeningStep({
						rootLogin: 'no',
						undoSeconds: 8,
						loginTimeoutMs: 500,
						async verifyLogin() {
							await dying.close();
							throw new Error('connection lost');
						},
					}),
				],
				verifyLogin,
			});
			t.false(cut.ok);
			t.regex(
				await stdoutOf(guest.exec('sshd -T')),
				/^permitrootlogin no$/m,
				'the unproven change is live at first',
			);
			// The host's own timer undoes it (8 s after the change): done once its timer has fired
			// and the undo it started has ended. A busy machine may take longer.
			await waitFor(
				'the host to undo the unproven change',
				async () =>
					(await stdoutOf(
						guest.exec(
							'systemctl is-active codex-k8s-install-ssh-undo.timer codex-k8s-install-ssh-undo.service || true',
						),
					)) === 'inactive\ninactive\n'
						? true
						: undefined,
				3 * 60_000,
			);
			t.regex(
				await stdoutOf(guest.exec('sshd -T')),
				/^permitrootlogin without-password$/m,
			);
			t.notRegex(
				await stdoutOf(guest.exec('ls /var/lib/codex-k8s-install')),
				/ssh-undo|sshd-drop-in\.before/,
				'the switch cleaned up after itself',
			);
			t.is(
				await stdoutOf(
					guest.exec(
						'systemctl is-active codex-k8s-install-ssh-undo.timer || true',
					),
				),
				'inactive\n',
			);
			await t.throwsAsync(loginAs(guest, 'codex', operatorKey.path), {
				message: /refused every SSH key/,
			});
			const rootAgain = await loginAs(guest, 'root', guest.rootKeyPath);
			t.is(rootAgain.code, 0, 'root can log in again');
		});
	},
);
