import type {ExecutionContext} from 'ava';
import {UsageError, UserError} from '../../source/errors.js';
import {connect, type ConnectOptions} from '../../source/remote/connect.js';
import type {RemoteSession} from '../../source/remote/types.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {makeKeyPair} from '../helpers/keys.js';
import {fileSnapshot} from '../helpers/remote-guest.js';
import {
	guestConnection,
	memoryLogger,
	temporaryHome,
} from '../helpers/remote.js';

const passphrase = 'correct horse battery staple';

/** The promise fails with a UserError (exit 1) or, for a missing answer, a UsageError (exit 2). */
async function failure(
	t: ExecutionContext,
	promise: Promise<RemoteSession>,
	expected: {usage: boolean; message: RegExp},
): Promise<UserError> {
	const error = await t.throwsAsync<UserError>(promise, {
		instanceOf: expected.usage ? UsageError : UserError,
		message: expected.message,
	});
	t.is(error?.exitCode, expected.usage ? 2 : 1, error?.message);
	return error;
}

guestTest(
	'each failure to reach or log in has its own message and exit code, and leaves nothing on the host',
	async t => {
		await withGuest({}, async (guest: Guest) => {
			const home = temporaryHome();
			const options: ConnectOptions = {
				log: memoryLogger(),
				home: home.home,
				env: {},
				timing: {connectTimeoutMs: 1500},
			};
			const base = guestConnection(guest, home.home);
			const before = await fileSnapshot(guest);
			try {
				await failure(
					t,
					connect({connection: {...base, port: 2223}}, options),
					{
						usage: false,
						message: new RegExp(
							`nothing is listening on ${guest.address} port 2223`,
						),
					},
				);

				const wrong = makeKeyPair();
				const refused = await failure(
					t,
					connect({connection: {...base, identity: wrong.path}}, options),
					{usage: false, message: /refused every SSH key offered/},
				);
				t.true(
					refused.hint!.includes(`tried: key file ${wrong.path} (ssh-ed25519)`),
					refused.hint,
				);

				const encrypted = makeKeyPair({passphrase});
				const locked = await failure(
					t,
					connect({connection: {...base, identity: encrypted.path}}, options),
					{usage: true, message: /is encrypted and no passphrase was given/},
				);
				t.true(locked.hint!.includes('CODEXK8S_SSH_KEY_PASSPHRASE'));

				const badPassphrase = await failure(
					t,
					connect(
						{
							connection: {
								...base,
								identity: encrypted.path,
								keyPassphrase: 'not it',
							},
						},
						options,
					),
					{usage: false, message: /refused every SSH key/},
				);
				t.true(
					badPassphrase.hint!.includes('the passphrase does not decrypt it'),
					badPassphrase.hint,
				);

				const noKeys = await failure(
					t,
					connect({connection: {...base, identity: undefined}}, options),
					{usage: true, message: /no SSH key to log in/},
				);
				t.true(noKeys.hint!.includes('--identity'));

				t.is(
					await fileSnapshot(guest),
					before,
					'no file was created or removed on the host',
				);
				const leftovers = await guest.exec(
					"pgrep -a -f 'ck8[s]|bash -[s]|sle[e]p' || true",
				);
				t.is(leftovers.stdout, '');

				// Last: a silent host (its link cut) times out with an honest message.
				await guest.cutNetwork();
				const started = Date.now();
				await failure(t, connect({connection: base}, options), {
					usage: false,
					message: new RegExp(
						`${guest.address} port 22 did not answer within 1.5 s`,
					),
				});
				// The installer's own limit, not TCP's (minutes of SYN retries); room for a busy machine.
				t.true(Date.now() - started < 60_000);
			} finally {
				home.dispose();
			}
		});
	},
);
