import {spawnSync} from 'node:child_process';
import test from 'ava';
import {UserError} from '../../source/errors.js';
import {
	acquireLock,
	describeHolder,
	lockPath,
	parseRecord,
} from '../../source/remote/lock.js';
import {guestTest, withGuest, type Guest} from '../helpers/guest/index.js';
import {
	guestConnection,
	scriptedPrompter,
	tempHome,
} from '../helpers/remote.js';
import {openSession} from '../steps/preflight/_guest-session.js';

const first = {
	owner: 'alice@laptop',
	pid: 4242,
	command: 'install',
	now: () => new Date('2026-03-01T10:00:00Z'),
};
const second = {owner: 'bob@desk', pid: 777, command: 'install'};

test('lock records: described for people; a corrupt record is still reported', t => {
	t.is(
		describeHolder(
			parseRecord(
				'{"owner":"alice@laptop","pid":4242,"startedAt":"2026-03-01T10:00:00.000Z","command":"install"}',
			),
		),
		'alice@laptop since 2026-03-01 10:00:00 UTC (pid 4242)',
	);
	t.is(
		describeHolder(parseRecord('garbage')),
		'an unknown installer since an unknown time (pid 0)',
	);
});

async function recordOn(guest: Guest): Promise<string> {
	const {stdout} = await guest.exec(`cat ${lockPath}`);
	return stdout;
}

/** Until the holder of a dead connection has noticed and released the flock. */
async function waitUnlocked(guest: Guest): Promise<void> {
	const deadline = Date.now() + 10_000;
	while (Date.now() < deadline) {
		// eslint-disable-next-line no-await-in-loop
		const {code} = await guest.exec(`flock -n ${lockPath} true`);
		if (code === 0) {
			return;
		}

		// eslint-disable-next-line no-await-in-loop
		await new Promise(resolve => {
			setTimeout(resolve, 200);
		});
	}

	throw new Error('the lock was not released after the connection closed');
}

guestTest(
	'concurrent installs: the second refuses naming the holder; after release it gets the lock',
	async t => {
		await withGuest({}, async guest => {
			const a = await openSession(guest);
			const b = await openSession(guest);
			try {
				const held = await acquireLock(a.session, first);
				t.deepEqual(JSON.parse(await recordOn(guest)), {
					owner: 'alice@laptop',
					pid: 4242,
					startedAt: '2026-03-01T10:00:00.000Z',
					command: 'install',
				});
				const refusal = await t.throwsAsync(
					acquireLock(b.session, {...second, force: true}),
					{
						instanceOf: UserError,
						message:
							'the host is locked: held by alice@laptop since 2026-03-01 10:00:00 UTC (pid 4242)',
					},
				);
				t.regex(
					refusal.hint!,
					/Another codex-k8s-install \(install\) is working/,
				);
				// The session stays usable while its lock is held.
				const {stdout} = await a.session.exec('echo still here');
				t.is(stdout, 'still here\n');

				await held.release();
				await held.release();
				t.is(await recordOn(guest), '', 'a clean release clears the record');
				const next = await acquireLock(b.session, second);
				t.is(next.tookOver, undefined);
				t.like(JSON.parse(await recordOn(guest)), {
					owner: 'bob@desk',
					pid: 777,
				});
				await next.release();
			} finally {
				await a.dispose();
				await b.dispose();
			}
		});
	},
);

guestTest(
	'a killed install leaves a stale lock: detected, taken over only with confirmation or force',
	async t => {
		await withGuest({}, async guest => {
			const crashed = await openSession(guest);
			await acquireLock(crashed.session, first);
			// The installer dies: its connection closes without a release.
			await crashed.dispose();
			await waitUnlocked(guest);
			t.like(JSON.parse(await recordOn(guest)), {owner: 'alice@laptop'});

			const b = await openSession(guest);
			try {
				const stale =
					'a previous run by alice@laptop did not finish (stale lock since 2026-03-01 10:00:00 UTC, pid 4242, install)';
				const refused = await t.throwsAsync(acquireLock(b.session, second), {
					instanceOf: UserError,
					message: stale,
				});
				t.regex(refused.hint!, /--force-unlock/);

				const no = scriptedPrompter({confirms: [false]});
				await t.throwsAsync(acquireLock(b.session, {...second, prompter: no}), {
					message: stale,
				});
				t.is(no.questions.length, 1);
				t.true(no.questions[0]!.startsWith(`confirm: ${stale}.`));
				t.like(JSON.parse(await recordOn(guest)), {owner: 'alice@laptop'});

				// Ctrl-C while being asked: nothing is taken over.
				const controller = new AbortController();
				await t.throwsAsync(
					acquireLock(b.session, {
						...second,
						signal: controller.signal,
						prompter: {
							async confirm() {
								controller.abort();
								return true;
							},
							async secret() {
								return '';
							},
						},
					}),
					{name: 'InterruptedError'},
				);
				t.like(JSON.parse(await recordOn(guest)), {owner: 'alice@laptop'});

				const yes = scriptedPrompter({confirms: [true]});
				const taken = await acquireLock(b.session, {...second, prompter: yes});
				t.like(taken.tookOver, {owner: 'alice@laptop', pid: 4242});
				t.like(JSON.parse(await recordOn(guest)), {owner: 'bob@desk'});
				// Crash again, then --force-unlock takes over without asking.
				await b.dispose();
				await waitUnlocked(guest);
				const c = await openSession(guest);
				try {
					const forced = await acquireLock(c.session, {
						owner: 'carol@ci',
						pid: 1,
						command: 'resume',
						force: true,
					});
					t.like(forced.tookOver, {owner: 'bob@desk', pid: 777});
					await forced.release();
					t.is(await recordOn(guest), '');
				} finally {
					await c.dispose();
				}
			} finally {
				await b.dispose();
			}
		});
	},
);

guestTest(
	'through sudo (a non-root login) the lock holds, and a dropped connection leaves it stale',
	async t => {
		await withGuest({}, async guest => {
			const {code, stderr} = await guest.exec(
				[
					'useradd -m -s /bin/bash ada',
					'install -d -o ada -m 0700 /home/ada/.ssh',
					'install -o ada -m 0600 /root/.ssh/authorized_keys /home/ada/.ssh/',
					"echo 'ada ALL=(ALL) NOPASSWD:ALL' > /etc/sudoers.d/ada",
				].join(' && '),
			);
			t.is(code, 0, stderr);
			const home = tempHome();
			const ada = await openSession(guest, {
				connection: {...guestConnection(guest, home.home), user: 'ada'},
			});
			try {
				t.is(ada.session.privilege, 'sudo');
				await acquireLock(ada.session, first);
				const root = await openSession(guest);
				try {
					await t.throwsAsync(acquireLock(root.session, second), {
						message: /^the host is locked: held by alice@laptop/,
					});
					await ada.dispose();
					await waitUnlocked(guest);
					await t.throwsAsync(acquireLock(root.session, second), {
						message: /^a previous run by alice@laptop did not finish/,
					});
				} finally {
					await root.dispose();
				}
			} finally {
				await ada.dispose();
				home.dispose();
			}
		});
	},
);

guestTest(
	"this computer's own dead run: its lock is taken over without asking, even while its holder lingers",
	async t => {
		await withGuest({}, async guest => {
			const dead = spawnSync(process.execPath, ['-e', '0']).pid;
			const ours = {owner: 'carol@laptop', command: 'install'};
			const a = await openSession(guest);
			const b = await openSession(guest);
			try {
				// The first run "died" but its connection, as sshd sees it, is still there.
				await acquireLock(a.session, {...ours, pid: dead});
				const resumed = await acquireLock(b.session, {
					...ours,
					pid: process.pid,
				});
				t.like(JSON.parse(await recordOn(guest)), {
					owner: 'carol@laptop',
					pid: process.pid,
				});
				await resumed.release();
				t.is(await recordOn(guest), '');
				const other = await acquireLock(b.session, {...second, pid: dead});
				await t.throwsAsync(
					acquireLock(a.session, {...ours, pid: process.pid}),
					{
						instanceOf: UserError,
						message: /held by bob@desk/,
					},
				);
				await other.release();
			} finally {
				await a.dispose();
				await b.dispose();
			}
		});
	},
);
