import test from 'ava';
import {UserError} from '../../../source/errors.js';
import {openHost} from '../../../source/engine/host.js';
import type {StepContext} from '../../../source/engine/step.js';
import {arch} from '../../../steps/preflight/arch.js';
import {clock} from '../../../steps/preflight/clock.js';
import {firstBootStep} from '../../../steps/preflight/first-boot.js';
import {os} from '../../../steps/preflight/os.js';
import {outbound} from '../../../steps/preflight/outbound.js';
import {privilege} from '../../../steps/preflight/privilege.js';
import {resources} from '../../../steps/preflight/resources.js';
import {baseInput, fakeContext} from '../../helpers/fake-steps.js';
import {fakeSession} from './_fake-session.js';

type Session = ReturnType<typeof fakeSession>;
const withSession = (
	remote: Session,
	overrides: Partial<StepContext> = {},
): StepContext => fakeContext({host: openHost(remote), ...overrides});

const osRelease = (id: string, version: string, pretty: string) =>
	`ID=${id}\nVERSION_ID="${version}"\nPRETTY_NAME="${pretty}"\n`;

test('os: Ubuntu 22.04/24.04 and Debian 12/13 pass; others are blocked with the supported list', async t => {
	for (const [id, version] of [
		['ubuntu', '22.04'],
		['ubuntu', '24.04'],
		['debian', '12'],
		['debian', '13'],
	] as const) {
		const session = fakeSession({
			os: osRelease(id, version, `${id} ${version}`),
		});
		t.like(
			// eslint-disable-next-line no-await-in-loop
			await os.check(withSession(session)),
			{kind: 'done'},
			`${id} ${version}`,
		);
	}

	for (const [id, version, pretty] of [
		['debian', '11', 'Debian GNU/Linux 11 (bullseye)'],
		['ubuntu', '20.04', 'Ubuntu 20.04.6 LTS'],
		['pop', '22.04', 'Pop!_OS 22.04 LTS'],
		['rocky', '9.3', 'Rocky Linux 9.3 (Blue Onyx)'],
	] as const) {
		const session = fakeSession({os: osRelease(id, version, pretty)});
		// eslint-disable-next-line no-await-in-loop
		const finding = await os.check(withSession(session));
		t.deepEqual(finding, {
			kind: 'blocked',
			problem: `${pretty} is not supported`,
			hint: 'Supported systems: Ubuntu 22.04, Ubuntu 24.04, Debian 12 or Debian 13. Reinstall the server with one of them and run again.',
		});
	}
});

test('arch: amd64 and arm64 pass; a 32-bit system on a 64-bit CPU is blocked by its dpkg architecture', async t => {
	t.like(await arch.check(withSession(fakeSession())), {
		kind: 'done',
		note: 'amd64 (x86_64)',
	});
	t.like(
		await arch.check(withSession(fakeSession({arch: 'aarch64\narm64\n'}))),
		{
			kind: 'done',
			note: 'arm64 (aarch64)',
		},
	);
	t.like(
		await arch.check(withSession(fakeSession({arch: 'aarch64\narmhf\n'}))),
		{
			kind: 'blocked',
			problem: 'CPU architecture armhf (aarch64) is not supported',
		},
	);
	// No dpkg answer: uname's name is mapped.
	t.like(await arch.check(withSession(fakeSession({arch: 'riscv64\n'}))), {
		kind: 'blocked',
		problem: 'CPU architecture riscv64 is not supported',
	});
});

test('privilege: root and sudo are reported, with the login user', async t => {
	t.like(await privilege.check(withSession(fakeSession())), {
		note: 'logged in as root',
	});
	t.like(
		await privilege.check(
			withSession(fakeSession({}, {privilege: 'sudo-password', user: 'ada'})),
		),
		{kind: 'done', note: 'ada with sudo (password asked once, sent on stdin)'},
	);
});

test('resources: numbers in the blocked message; a separate /var is checked on its own', async t => {
	const small = fakeSession({
		disk: 'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda1 10000000 5000000 5242880 50% /\n/dev/vda1 10000000 5000000 5242880 50% /\n',
		memory: 'MemTotal: 2009000 kB\nMemAvailable: 1500000 kB\n',
	});
	t.deepEqual(await resources.check(withSession(small)), {
		kind: 'blocked',
		problem:
			'not enough room: 5 GiB free on / (20 GiB needed); 1.9 GiB of memory (3.5 GiB needed)',
		hint: 'k3s, PostgreSQL, the platform and its image builds need them. Resize the server (or free space under /var) and run again.',
	});
	const separate = fakeSession({
		disk: 'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda1 4000000 3000000 1048576 75% /\n/dev/vdb1 100000000 0 99614720 1% /var\n',
		memory: 'MemTotal: 3900000 kB\n',
	});
	t.like(await resources.check(withSession(separate)), {
		kind: 'blocked',
		problem: 'not enough room: 1 GiB free on / (2 GiB needed)',
	});
	t.like(await resources.check(withSession(fakeSession())), {
		kind: 'done',
		note: '25.8 GiB free on /; 7.8 GiB of memory',
	});
});

test('clock: within 60 s passes; more is blocked with the NTP fix, ahead or behind', async t => {
	t.like(await clock.check(withSession(fakeSession({}, {skewSeconds: 20}))), {
		kind: 'done',
	});
	const ahead = await clock.check(
		withSession(fakeSession({}, {skewSeconds: 3725})),
	);
	t.like(ahead, {
		kind: 'blocked',
		problem:
			"the host's clock is 1 h 2 min 5 s ahead of this computer's (NTP off)",
	});
	t.true(
		ahead.kind === 'blocked' &&
			ahead.hint!.includes('sudo timedatectl set-ntp true'),
	);
	t.like(await clock.check(withSession(fakeSession({}, {skewSeconds: -90}))), {
		kind: 'blocked',
		problem: "the host's clock is 1 min 30 s behind this computer's (NTP off)",
	});
});

test('outbound: hints only, never blocked, nothing outside contacted', async t => {
	t.deepEqual(await outbound.check(withSession(fakeSession())), {
		kind: 'done',
		note: 'default route via host0; name servers 10.213.0.1; apt proxy: Acquire::http::Proxy "http://10.213.0.1:3142";',
	});
	const isolated = fakeSession({
		network:
			'--- route\nIface Destination\n--- route6\n--- resolv\n--- apt\n--- environment\nhttp_proxy=http://proxy:3128\n',
	});
	t.deepEqual(await outbound.check(withSession(isolated)), {
		kind: 'done',
		note: 'no default route: downloads need a proxy (CODEXK8S_HTTP_PROXY) or local artifacts; no name servers in /etc/resolv.conf; /etc/environment sets http_proxy',
	});
});

test('all host preflight checks share one probe round trip', async t => {
	const session = fakeSession();
	const context = withSession(session);
	for (const step of [
		os,
		arch,
		privilege,
		resources,
		clock,
		outbound,
		firstBootStep(),
	]) {
		// eslint-disable-next-line no-await-in-loop
		await step.check(context);
	}

	t.is(session.roundTrips, 1);
});

const busy =
	'/var/lib/dpkg/lock-frontend\t812\t1\tunattended-upgr\t/usr/bin/python3 /usr/bin/unattended-upgrade\n/var/lib/dpkg/lock\t812\t1\tunattended-upgr\t/usr/bin/python3 /usr/bin/unattended-upgrade\n';

test('first boot: cloud-init running and held locks are changes to wait for; apply waits with a countdown', async t => {
	const session = fakeSession((call): Record<string, string> =>
		call < 3
			? {cloudInit: 'status: running\n', locks: busy}
			: {cloudInit: 'status: done\n'},
	);
	const lines: string[] = [];
	const context = withSession(session, {output: line => lines.push(line)});
	const step = firstBootStep({pollMs: 10});
	const finding = await step.check(context);
	t.deepEqual(finding, {
		kind: 'change',
		changes: [
			'wait for cloud-init (status: running)',
			'wait for unattended-upgr (pid 812) holding /var/lib/dpkg/lock-frontend, /var/lib/dpkg/lock',
		],
	});
	await step.apply!(context, finding);
	t.is(lines.length, 2);
	t.regex(
		lines[0]!,
		/^waiting for cloud-init \(status: running\); unattended-upgr \(pid 812\) holding .+: 10:00 left$/,
	);
	t.regex(lines[1]!, /^the host is free after 0:0\d$/);
	t.like(
		await step.check(withSession(fakeSession({cloudInit: 'status: done\n'}))),
		{
			kind: 'done',
			note: 'cloud-init done; apt/dpkg locks free',
		},
	);
});

test('first boot: gives up after the limit naming the holder and what to do', async t => {
	const session = fakeSession({locks: busy});
	const lines: string[] = [];
	const context = withSession(session, {
		input: baseInput({timeouts: {firstBoot: 1}}),
		output: line => lines.push(line),
	});
	const error = await t.throwsAsync(
		firstBootStep({pollMs: 200}).apply!(context, {kind: 'change', changes: []}),
		{
			instanceOf: UserError,
			message:
				'the host is still busy after 1 s: unattended-upgr (pid 812) holding /var/lib/dpkg/lock-frontend, /var/lib/dpkg/lock',
		},
	);
	t.true(error.hint!.includes('ps -o pid,etime,args -p 812'));
	t.true(error.hint!.includes('CODEXK8S_FIRST_BOOT_TIMEOUT'));
	t.true(
		lines.length >= 3 &&
			lines.every(line => line.startsWith('waiting for unattended-upgr')),
	);
});

test('first boot: Ctrl-C while waiting stops at once', async t => {
	const controller = new AbortController();
	const context = withSession(fakeSession({locks: busy}), {
		signal: controller.signal,
	});
	setTimeout(() => {
		controller.abort();
	}, 50);
	const started = Date.now();
	await t.throwsAsync(
		firstBootStep({pollMs: 60_000}).apply!(context, {
			kind: 'change',
			changes: [],
		}),
		{
			name: 'InterruptedError',
		},
	);
	// Well before the next poll (60 s) would have come; room for a busy machine.
	t.true(Date.now() - started < 30_000);
});
