import {Buffer} from 'node:buffer';
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {UsageError, UserError} from '../../source/errors.js';
import {connect, type ConnectOptions} from '../../source/remote/connect.js';
import {fingerprint} from '../../source/remote/known-hosts.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {hostKeyLine, regenerateHostKeys} from '../helpers/remote-guest.js';
import {
	guestConnection,
	memoryLogger,
	scriptedPrompter,
	temporaryHome,
} from '../helpers/remote.js';

/** How many times sshd saw a login attempt get as far as authentication. */
async function authAttempts(guest: Guest): Promise<number> {
	const {stdout} = await guest.exec(
		"journalctl -q -u ssh.service --no-pager -o cat | grep -cE 'Accepted publickey|authenticating user|Failed publickey' || true",
	);
	return Number(stdout.trim());
}

guestTest(
	'host keys: unknown needs a fingerprint or a yes, a wrong fingerprint or a no refuses, a CHANGED key stops before authenticating',
	async t => {
		await withGuest({}, async guest => {
			const home = temporaryHome();
			const options: ConnectOptions = {
				log: memoryLogger(),
				home: home.home,
				env: {},
			};
			const unknown = guestConnection(guest, home.home, {
				hostKeyFingerprint: undefined,
			});
			const knownHosts = path.join(home.ssh, 'known_hosts');
			try {
				const missing = await t.throwsAsync(
					connect({connection: unknown}, options),
					{instanceOf: UsageError},
				);
				t.is(missing.exitCode, 2);
				t.true(
					missing.message.includes(guest.hostKeyFingerprint),
					missing.message,
				);
				t.regex(
					missing.hint!,
					/--host-key-fingerprint .*CODEXK8S_HOST_KEY_FINGERPRINT/s,
				);
				t.true(
					missing.hint!.includes(
						'ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub',
					),
				);

				const wrong = await t.throwsAsync(
					connect(
						{
							connection: {
								...unknown,
								hostKeyFingerprint:
									'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
							},
						},
						options,
					),
					{instanceOf: UserError, message: /not the expected SHA256:A{43}/},
				);
				t.is(wrong.exitCode, 1);

				const no = scriptedPrompter({confirms: [false]});
				await t.throwsAsync(
					connect({connection: unknown}, {...options, prompter: no}),
					{
						instanceOf: UserError,
						message: /was not trusted, so nothing was done/,
					},
				);
				t.true(no.questions[0]!.includes(guest.hostKeyFingerprint));

				const yes = scriptedPrompter({confirms: [true]});
				const session = await connect(
					{connection: unknown},
					{...options, prompter: yes},
				);
				t.is(yes.questions.length, 1);
				await session.close();
				const trusted = await connect({connection: unknown}, options);
				await trusted.close();

				// The server is "reinstalled": new host keys. Nothing may get as far as authentication.
				const attemptsBefore = await authAttempts(guest);
				t.true(
					attemptsBefore > 0,
					'the journal shows authentication attempts at all',
				);
				await regenerateHostKeys(guest);
				const changed = await t.throwsAsync(
					connect(
						{connection: unknown},
						{...options, prompter: scriptedPrompter({})},
					),
					{instanceOf: UserError, message: /has CHANGED/},
				);
				t.is(changed.exitCode, 1);
				t.true(
					changed.message.includes(guest.hostKeyFingerprint),
					'shows the old fingerprint',
				);
				const newLine = await hostKeyLine(guest);
				const newPrint = fingerprint(
					Buffer.from(newLine.split(' ')[1]!, 'base64'),
				);
				t.true(changed.message.includes(newPrint), 'shows the new fingerprint');
				// The default known_hosts file: the command ssh itself would print, no -f needed.
				t.true(
					changed.hint!.endsWith(`run again: ssh-keygen -R ${guest.address}`),
					changed.hint,
				);
				t.is(
					await authAttempts(guest),
					attemptsBefore,
					'no authentication was attempted',
				);

				// A fingerprint given in advance does not override a changed known_hosts entry either.
				await t.throwsAsync(
					connect(
						{connection: {...unknown, hostKeyFingerprint: newPrint}},
						options,
					),
					{message: /has CHANGED/},
				);

				// After the fix command ssh suggested, the new key is accepted with its fingerprint.
				writeFileSync(knownHosts, '');
				const fixed = await connect(
					{connection: {...unknown, hostKeyFingerprint: newPrint}},
					options,
				);
				t.is(fixed.hostKeyFingerprint, newPrint);
				await fixed.close();
			} finally {
				home.dispose();
			}
		});
	},
);
