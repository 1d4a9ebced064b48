import {connect as tcpConnect} from 'node:net';
import type {ExecutionContext} from 'ava';
import {NodeSSH} from 'node-ssh';
import {type Guest, guestTest, withGuest} from '../../helpers/guest/index.js';
import {
	guestInput,
	guestLoginVerifier,
	hostSnapshot,
	loginAs,
	operatorKeyPair,
	rootSession,
	runHostPhase,
} from '../../helpers/host-phase.js';
import {makeKeyPair} from '../../helpers/keys.js';

const password = 'Only-For-This-Test-1';

/** 'open', 'refused' or 'timeout', as seen from the test host. */
async function tcpState(host: string, port: number): Promise<string> {
	return new Promise(resolve => {
		const socket = tcpConnect({host, port});
		socket.setTimeout(2000, () => {
			socket.destroy();
			resolve('timeout');
		});
		socket.once('connect', () => {
			socket.destroy();
			resolve('open');
		});
		socket.once('error', error => {
			resolve(
				(error as NodeJS.ErrnoException).code === 'ECONNREFUSED'
					? 'refused'
					: 'error',
			);
		});
	});
}

async function passwordLogin(guest: Guest, user: string): Promise<boolean> {
	const ssh = new NodeSSH();
	try {
		await ssh.connect({
			host: guest.address,
			port: guest.port,
			username: user,
			password,
			tryKeyboard: true,
			readyTimeout: 8000,
		});
		ssh.dispose();
		return true;
	} catch {
		return false;
	}
}

async function exec(t: ExecutionContext, guest: Guest, command: string) {
	const result = await guest.exec(command);
	t.is(result.code, 0, `${command}: ${result.stderr}`);
	return result.stdout;
}

guestTest(
	'host phase on a bare bookworm guest: hardened, proven, and a second run changes nothing',
	async t => {
		t.timeout(20 * 60_000);
		await withGuest({name: 'host-full'}, async guest => {
			const operatorKey = operatorKeyPair();
			const earlierKey = makeKeyPair();
			const verifyLogin = guestLoginVerifier(guest, operatorKey);
			// Apt must reach the mirror through input.proxy alone, not the harness's own apt config.
			await exec(t, guest, 'rm /etc/apt/apt.conf.d/91ck8s-test-proxy');
			// An operator that already exists, with a key of its own and a password.
			const {readFileSync} = await import('node:fs');
			const earlier = readFileSync(earlierKey.publicPath, 'utf8').trim();
			await exec(
				t,
				guest,
				`useradd -m -s /bin/bash codex && echo 'codex:${password}' | chpasswd && install -d -m 700 -o codex -g codex /home/codex/.ssh && echo '${earlier}' > /home/codex/.ssh/authorized_keys && chown codex: /home/codex/.ssh/authorized_keys`,
			);
			t.true(
				await passwordLogin(guest, 'codex'),
				'password login works before hardening',
			);

			const input = guestInput(guest, operatorKey);
			const first = await rootSession(guest);
			const started = Date.now();
			const result = await runHostPhase(first, input, {verifyLogin});
			await first.close();
			t.log(
				`first run ${Date.now() - started} ms, ${first.roundTrips} round trips`,
			);
			t.true(result.ok, String(result.error));
			t.deepEqual(
				result.steps.map(step => [step.id, step.status]),
				[
					['host.base-packages', 'changed'],
					['host.firewall', 'changed'],
					['host.system-settings', 'changed'],
					['host.operator-user', 'changed'],
					['host.ssh-hardening', 'changed'],
					['host.fail2ban', 'changed'],
					['host.unattended-upgrades', 'changed'],
				],
			);

			// The operator logs in with its key and has sudo without a password; the earlier key still works.
			const sudo = await loginAs(
				guest,
				'codex',
				operatorKey.path,
				'sudo -n true && id -un',
			);
			t.is(sudo.code, 0, sudo.stderr);
			t.is(sudo.stdout.trim(), 'codex');
			const earlierLogin = await loginAs(guest, 'codex', earlierKey.path);
			t.is(earlierLogin.code, 0, 'the key that was there before still logs in');
			const keys = await exec(t, guest, 'cat /home/codex/.ssh/authorized_keys');
			t.is(keys.split('\n').filter(Boolean).length, 2);
			t.is(
				await exec(t, guest, 'stat -c %a /home/codex /home/codex/.ssh'),
				'750\n700\n',
			);

			// Password logins are refused.
			const sshd = await exec(t, guest, 'sshd -T');
			t.regex(sshd, /^passwordauthentication no$/m);
			t.regex(sshd, /^kbdinteractiveauthentication no$/m);
			t.false(
				await passwordLogin(guest, 'codex'),
				'password login refused after hardening',
			);

			// Firewall: a listener nothing allows is unreachable from outside, SSH is reachable.
			await exec(
				t,
				guest,
				'systemd-run --unit=ck8s-test-listener python3 -c "import socket,time; s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\'0.0.0.0\', 8080)); s.listen(); time.sleep(600)"',
			);
			await exec(
				t,
				guest,
				'for i in $(seq 50); do python3 -c "import socket; socket.create_connection((\'127.0.0.1\', 8080), 1)" 2>/dev/null && exit 0; sleep 0.1; done; exit 1',
			);
			t.is(await tcpState(guest.address, 8080), 'timeout');
			t.is(await tcpState(guest.address, 22), 'open');
			t.regex(
				await exec(t, guest, 'nft list tables'),
				/table inet codex_k8s_install/,
			);

			// Fail2ban runs with the journal backend and never bans the installer's address.
			t.regex(
				await exec(t, guest, 'fail2ban-client get sshd ignoreip'),
				/10\.213\.0\.1/,
			);
			t.regex(
				await exec(
					t,
					guest,
					'apt-config dump Unattended-Upgrade::Automatic-Reboot',
				),
				/"false"/,
			);

			// A second run: 0 changes, nothing touched, within the round-trip budget.
			const before = await hostSnapshot(guest);
			const plan = await rootSession(guest);
			const planned = await runHostPhase(plan, input, {
				dryRun: true,
				verifyLogin,
			});
			await plan.close();
			t.is(planned.changes, 0);
			t.true(
				plan.roundTrips <= 3,
				`converged check took ${plan.roundTrips} round trips`,
			);
			const second = await rootSession(guest);
			const again = await runHostPhase(second, input, {verifyLogin});
			await second.close();
			t.true(again.ok, String(again.error));
			t.is(again.changes, 0);
			t.like(
				Object.fromEntries(again.steps.map(step => [step.id, step.status])),
				{
					'host.system-settings': 'skipped',
					'host.ssh-hardening': 'done',
				},
			);
			t.regex(
				again.steps.find(step => step.id === 'host.system-settings')!.note!,
				/^skipped in container/,
			);
			t.true(
				second.roundTrips <= 3,
				`converged run took ${second.roundTrips} round trips`,
			);
			t.is(await hostSnapshot(guest), before);

			// After a reboot the table is loaded again by its unit and everything is still converged.
			await guest.reboot();
			t.regex(
				await exec(t, guest, 'nft list table inet codex_k8s_install'),
				/policy drop/,
			);
			// Dropped, not refused: without the table a closed port answers with a reset.
			t.is(await tcpState(guest.address, 8080), 'timeout');
			const rebooted = await rootSession(guest);
			const afterReboot = await runHostPhase(rebooted, input, {
				dryRun: true,
				verifyLogin,
			});
			await rebooted.close();
			t.is(afterReboot.changes, 0);
		});
	},
);
