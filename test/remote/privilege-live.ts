import {UsageError, UserError} from '../../source/errors.js';
import {connect, type ConnectOptions} from '../../source/remote/connect.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {
	addUser,
	fileSnapshot,
	stdoutOf,
	testScripts,
} from '../helpers/remote-guest.js';
import {
	guestConnection,
	memoryLogger,
	scriptedPrompter,
	temporaryHome,
} from '../helpers/remote.js';

const sudoPassword = 'CANARY-sudo-7f3a9c';
const token = 'CANARY-token-51d2e8';
// The bracket keeps grep's own command line from matching itself.
const canaryPattern = 'CANAR[Y]-';

async function canaryInProcesses(guest: Guest): Promise<string> {
	const {stdout} = await guest.exec(
		String.raw`for f in /proc/[0-9]*/cmdline /proc/[0-9]*/environ; do tr '\0' ' ' < "$f" 2>/dev/null | grep -q '${canaryPattern}' && echo "$f"; done; true`,
	);
	return stdout.trim();
}

guestTest(
	'privilege: passwordless sudo, sudo with a password (given or asked once), and clear errors without sudo or password',
	async t => {
		await withGuest({}, async guest => {
			const keys = [guest.rootPublicKey];
			await addUser(guest, 'nopw', {keys, sudo: 'nopasswd'});
			await addUser(guest, 'pw', {
				keys,
				sudo: 'password',
				password: sudoPassword,
			});
			await addUser(guest, 'plain', {
				keys,
				sudo: 'none',
				password: 'plain-password',
			});
			const home = temporaryHome();
			const log = memoryLogger();
			const options: ConnectOptions = {
				log,
				home: home.home,
				env: {},
				scriptsDirectory: testScripts,
			};
			const as = (user: string, extra = {}) => ({
				connection: guestConnection(guest, home.home, {user, ...extra}),
			});
			try {
				const nopw = await connect(as('nopw'), options);
				t.is(nopw.privilege, 'sudo');
				t.is(await stdoutOf(nopw.exec('id -u', {root: true})), '0\n');
				t.is(
					await stdoutOf(nopw.exec('id -u')),
					`${await stdoutOf(guest.exec('id -u nopw'))}`,
				);
				await nopw.close();

				const before = await fileSnapshot(guest);
				const missing = await t.throwsAsync(connect(as('pw'), options), {
					instanceOf: UsageError,
					message: /asks pw for a password/,
				});
				t.is(missing.exitCode, 2);
				t.true(missing.hint!.includes('CODEXK8S_SUDO_PASSWORD'));

				const wrong = await t.throwsAsync(
					connect(as('pw', {sudoPassword: 'not-the-password'}), options),
					{instanceOf: UserError, message: /rejected the password for pw/},
				);
				t.is(wrong.exitCode, 1);

				const plain = await t.throwsAsync(connect(as('plain'), options), {
					instanceOf: UserError,
					message: /plain is not root .* may not use sudo/,
				});
				t.is(plain.exitCode, 1);
				t.regex(plain.hint!, /log in as root .*sudoers/s);
				await t.throwsAsync(
					connect(as('plain', {sudoPassword: 'plain-password'}), options),
					{message: /plain is not in the sudoers file/},
				);
				t.is(
					await fileSnapshot(guest),
					before,
					'failed attempts leave no file behind',
				);

				const prompter = scriptedPrompter({secrets: [sudoPassword]});
				const asked = await connect(as('pw'), {...options, prompter});
				t.is(asked.privilege, 'sudo-password');
				t.deepEqual(prompter.questions, [
					`secret: sudo password for pw on ${guest.address}`,
				]);
				await asked.close();

				const session = await connect(as('pw', {sudoPassword}), options);
				t.is(session.privilege, 'sudo-password');
				t.is(await stdoutOf(session.exec('id -u', {root: true})), '0\n');
				const values = await session.runScript('values.sh', {
					values: {first: 'a b', second: ''},
				});
				t.regex(values.stdout, /user=root/);
				const probes = await session.probe(
					{uid: 'id -u', shadow: 'test -r /etc/shadow'},
					{root: true},
				);
				t.deepEqual(probes, {
					uid: {code: 0, output: '0\n'},
					shadow: {code: 0, output: ''},
				});
				await session.upload('root-owned\n', '/etc/ck8s-upload-test', {
					mode: 0o600,
				});
				t.is(
					await stdoutOf(
						guest.exec(
							'stat -c "%a %U" /etc/ck8s-upload-test && cat /etc/ck8s-upload-test',
						),
					),
					'600 root\nroot-owned\n',
				);

				// Secrets (sudo password, script values) never show in any process's argv or environment.
				let scan: Promise<string> | undefined;
				const running = session.runScript('hold-secret.sh', {
					values: {TOKEN: token, HOLD_SECONDS: '3'},
					onLine(line) {
						if (line === 'started') {
							scan = canaryInProcesses(guest);
						}
					},
				});
				const held = await running;
				t.is(held.code, 0, held.stderr);
				t.truthy(scan, 'the script said it started');
				t.is(await scan, '', 'no /proc/*/cmdline or environ held a secret');
				// Abort under sudo: the root-owned command and its children are gone afterwards.
				const controller = new AbortController();
				const aborted = session.exec('sleep 4242', {
					root: true,
					cancel: controller.signal,
				});
				setTimeout(() => {
					controller.abort();
				}, 300);
				await t.throwsAsync(aborted, {name: 'InterruptedError'});
				t.is(
					await stdoutOf(guest.exec('pgrep -af "sle[e]p 4242" || true')),
					'',
				);
				await session.close();

				const files = await guest.exec(
					`grep -rlsa '${canaryPattern}' /etc /root /home /tmp /var/tmp /var/lib /var/log /var/spool /run /var/cache; true`,
				);
				t.is(files.stdout, '', 'no file on the host holds a secret');
				t.false(
					log.lines.join('\n').includes('CANARY-'),
					'the log never holds a secret',
				);
			} finally {
				home.dispose();
			}
		});
	},
);
