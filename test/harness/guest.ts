import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {
	connectRoot,
	type Guest,
	guestTest,
	withGuest,
} from '../helpers/guest/index.js';
import {bridgeName, subnetPrefix} from '../helpers/guest/constants.js';
import {fingerprint} from '../helpers/guest/keys.js';
import {delay, runSync} from '../helpers/guest/process.js';
import {whenNoGuestIsUp} from '../helpers/guest/network.js';
import {rootfsRecipe} from '../helpers/guest/rootfs.js';

async function canConnect(guest: Guest, readyTimeout = 10_000): Promise<void> {
	const session = await connectRoot(guest, readyTimeout);
	await session.close();
}

function mounted(directory: string): boolean {
	return readFileSync('/proc/self/mounts', 'utf8').includes(` ${directory} `);
}

guestTest(
	'a guest answers over real SSH, reaches apt through the proxy, survives a cut link and is removed afterwards',
	async t => {
		let netns = '';
		let rootDir = '';
		await withGuest({name: 'harness-check'}, async guest => {
			netns = guest.netns;
			rootDir = guest.rootDir;
			t.true(existsSync(`/run/netns/${netns}`));
			t.true(mounted(rootDir));
			t.true(existsSync(`/sys/class/net/${bridgeName}`));

			const session = await connectRoot(guest);
			try {
				const id = await session.ssh.execCommand('id -u');
				t.is(id.stdout.trim(), '0');
				const hostname = await session.ssh.execCommand('hostname');
				t.is(hostname.stdout.trim(), 'harness-check');
			} finally {
				await session.close();
			}

			const echoed = await guest.exec('id -u && cat', {stdin: 'through stdin'});
			t.deepEqual(echoed, {stdout: '0\nthrough stdin', stderr: '', code: 0});

			// 124 is timeout(1)'s own exit code: the command was cut, not finished.
			const slow = await guest.exec('sleep 30', {timeoutMs: 1000});
			t.is(slow.code, 124);

			const elsewhere = await guest.exec(
				'/usr/lib/apt/apt-helper download-file http://example.com/ /tmp/x',
			);
			t.regex(elsewhere.stderr, /403\s+Forbidden/v);

			const apt = await guest.exec('apt-get update -qq', {timeoutMs: 90_000});
			t.is(apt.code, 0, apt.stderr);

			await guest.cutNetwork();
			await t.throwsAsync(canConnect(guest, 2000));
			await guest.restoreNetwork();
			await canConnect(guest);
		});
		t.false(existsSync(`/run/netns/${netns}`));
		t.false(mounted(rootDir));
	},
);

guestTest(
	'sshd stop/start, reboot, own host keys, and teardown when the callback throws',
	async t => {
		let netns = '';
		const failure = withGuest({regenerateHostKeys: true}, async guest => {
			netns = guest.netns;
			const own = await guest.exec(
				'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
			);
			t.true(own.stdout.includes(guest.hostKeyFingerprint));
			const cloned = readFileSync(
				path.join(
					rootfsRecipe('bookworm').extracted,
					'etc/ssh/ssh_host_ed25519_key.pub',
				),
				'utf8',
			);
			t.not(fingerprint(cloned), guest.hostKeyFingerprint);

			await guest.stopSshd();
			await t.throwsAsync(canConnect(guest, 2000));
			await guest.startSshd();
			await canConnect(guest);

			const before = await guest.exec(
				'systemctl show --property=InvocationID --value systemd-journald',
			);
			await guest.reboot();
			const after = await guest.exec(
				'systemctl show --property=InvocationID --value systemd-journald',
			);
			t.not(after.stdout, before.stdout);
			await canConnect(guest);
			throw new Error('callback failed');
		});
		await t.throwsAsync(failure, {message: 'callback failed'});
		t.false(existsSync(`/run/netns/${netns}`));
	},
);

guestTest(
	'the bridge stays while a guest is up; once the last guest on the machine is gone, it and its route are gone',
	async t => {
		t.timeout(15 * 60_000);
		await withGuest({}, async guest => {
			// Our own slot is held: nobody may take the bridge away.
			t.false(await whenNoGuestIsUp(() => t.fail('judged with a guest up')));
			t.true(existsSync(`/sys/class/net/${bridgeName}`), guest.name);
		});
		// It waits for every guest on the machine to be gone, other test files' and test runs' too:
		// at the latest when they end.
		t.timeout(60 * 60_000, 'waiting for every guest on the machine to be gone');
		let judged = false;
		while (!judged) {
			// eslint-disable-next-line no-await-in-loop -- waiting for a state: no slot held
			judged = await whenNoGuestIsUp(() => {
				t.false(existsSync(`/sys/class/net/${bridgeName}`));
				t.is(
					runSync('ip', ['-4', 'route', 'show', `${subnetPrefix}.0/24`]).stdout,
					'',
				);
			});
			if (!judged) {
				// eslint-disable-next-line no-await-in-loop
				await delay(250);
			}
		}
	},
);
