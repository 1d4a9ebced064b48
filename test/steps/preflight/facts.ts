import test from 'ava';
import {openHost} from '../../../source/engine/host.js';
import {
	preflightFacts,
	readFirstBootState,
} from '../../../steps/preflight/facts.js';
import {
	parseCloudInit,
	parseDisk,
	parseLockHolders,
	parseNetwork,
	parseOsRelease,
} from '../../../source/remote/facts-parse.js';
import {os} from '../../../steps/preflight/os.js';
import {fakeContext} from '../../helpers/fake-steps.js';
import {guestTest, withGuest} from '../../helpers/guest/index.js';
import {bookwormOutputs} from './_fake-session.js';
import {openSession, startInGuest} from './_guest-session.js';

test('os-release: quoted and bare values; Ubuntu fields', t => {
	t.like(parseOsRelease(bookwormOutputs['os']!), {
		id: 'debian',
		versionId: '12',
		codename: 'bookworm',
		prettyName: 'Debian GNU/Linux 12 (bookworm)',
	});
	t.deepEqual(
		parseOsRelease(
			'NAME="Ubuntu"\nVERSION_ID="24.04"\nID=ubuntu\nID_LIKE=debian\nPRETTY_NAME="Ubuntu 24.04.1 LTS"\nVERSION_CODENAME=noble\n',
		),
		{
			id: 'ubuntu',
			versionId: '24.04',
			codename: 'noble',
			prettyName: 'Ubuntu 24.04.1 LTS',
			idLike: ['debian'],
		},
	);
	t.is(parseOsRelease('').prettyName, 'an unknown system');
});

test('cloud-init: absent, running, done and the long forms', t => {
	t.deepEqual(parseCloudInit('absent\n'), {present: false});
	t.deepEqual(parseCloudInit('status: running\n'), {
		present: true,
		status: 'running',
		running: true,
	});
	t.like(parseCloudInit('\nstatus: done\n'), {running: false});
	t.like(parseCloudInit('status: degraded running\n'), {running: true});
	t.like(parseCloudInit('status: not started\nsystem: degraded\n'), {
		running: false,
	});
	t.like(parseCloudInit('status: not started\nsystem: starting\n'), {
		running: true,
	});
	t.deepEqual(parseCloudInit('absent\nsystem: running\n'), {present: false});
});

test('lock holders (not children that inherited the open file), disk and network sections', t => {
	t.deepEqual(
		parseLockHolders(
			[
				'/var/lib/dpkg/lock-frontend\t812\t700\tapt-get\tapt-get install -y curl',
				'/var/lib/dpkg/lock-frontend\t813\t812\tsh\tsh -c hook',
				'/var/lib/dpkg/lock\t813\t812\tdpkg\tdpkg --configure -a',
			].join('\n'),
		),
		[
			{
				path: '/var/lib/dpkg/lock-frontend',
				pid: 812,
				command: 'apt-get',
				args: 'apt-get install -y curl',
			},
			{
				path: '/var/lib/dpkg/lock',
				pid: 813,
				command: 'dpkg',
				args: 'dpkg --configure -a',
			},
		],
	);
	t.deepEqual(
		parseDisk(
			'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 100 50 40 55% /\n/dev/sdb1 1000 0 900 1% /srv/my var\n',
		),
		{
			root: {mount: '/', sizeBytes: 102_400, availableBytes: 40_960},
			variable: {
				mount: '/srv/my var',
				sizeBytes: 1_024_000,
				availableBytes: 921_600,
			},
		},
	);
	t.like(parseNetwork(bookwormOutputs['network']!), {
		defaultRoute: {ipv4: ['host0'], ipv6: []},
		nameservers: ['10.213.0.1'],
	});
});

guestTest(
	'bookworm: every fact in one round trip, memoized per session; lock holders with pid and command',
	async t => {
		await withGuest({}, async guest => {
			const {session, dispose} = await openSession(guest);
			try {
				const {facts: reader} = openHost(session);
				const before = session.roundTrips;
				const facts = await reader.read(preflightFacts);
				t.is(session.roundTrips - before, 1);
				t.is(await reader.read(preflightFacts), facts);
				t.is(session.roundTrips - before, 1);
				t.like(facts, {
					os: {id: 'debian', versionId: '12', codename: 'bookworm'},
					arch: {machine: 'x86_64', dpkg: 'amd64'},
					privilege: 'root',
					user: 'root',
					container: 'systemd-nspawn',
					cloudInit: {present: false},
					lockHolders: [],
				});
				t.true(facts.disk.root.availableBytes > 0);
				t.true(facts.memory.totalBytes > 256 * 1024 ** 2);
				t.true(
					Math.abs(facts.clockSkewSeconds) < 5,
					String(facts.clockSkewSeconds),
				);
				t.true(facts.network.aptProxies.length > 0);

				const holder = await startInGuest(
					guest,
					'flock /var/lib/apt/lists/lock sleep 30',
				);
				try {
					const state = await readFirstBootState(session);
					t.deepEqual(
						state.lockHolders.filter(entry => entry.pid === holder),
						[
							{
								path: '/var/lib/apt/lists/lock',
								pid: holder,
								command: 'flock',
								args: 'flock /var/lib/apt/lists/lock sleep 30',
							},
						],
					);
				} finally {
					await guest.exec(`kill -- -${holder}`);
				}
			} finally {
				await dispose();
			}
		});
	},
);

guestTest('trixie: Debian 13 is read and accepted', async t => {
	await withGuest({distribution: 'trixie'}, async guest => {
		const {session, input, dispose} = await openSession(guest);
		try {
			const host = openHost(session);
			const facts = await host.facts.read(preflightFacts);
			t.like(facts.os, {id: 'debian', versionId: '13', codename: 'trixie'});
			t.like(await os.check(fakeContext({input, host})), {
				kind: 'done',
				note: 'Debian GNU/Linux 13 (trixie)',
			});
		} finally {
			await dispose();
		}
	});
});
