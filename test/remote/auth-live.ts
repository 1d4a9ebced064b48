import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {ExecutionContext} from 'ava';
import {UsageError, UserError} from '../../source/engine/errors.js';
import {connect, type ConnectOptions} from '../../source/remote/connect.js';
import type {RemoteSession} from '../../source/remote/types.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {makeKeyPair} from '../helpers/keys.js';
import {
	authorizeRootKey,
	fileSnapshot,
	listenAlsoOn,
	publicKeyOf,
	startAgent,
} from '../helpers/remote-guest.js';
import {
	type Connection,
	guestConnection,
	memoryLogger,
	scriptedPrompter,
	temporaryHome,
} from '../helpers/remote.js';

const passphrase = 'correct horse battery staple';

async function whoami(session: RemoteSession): Promise<string> {
	const {stdout} = await session.exec('id -un');
	await session.close();
	return stdout.trim();
}

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
	'each way to log in works: key file, encrypted key (passphrase given or asked once), ssh-agent, ~/.ssh/config alias on port 2222',
	async t => {
		await withGuest({}, async (guest: Guest) => {
			const encrypted = makeKeyPair({passphrase});
			const agentKey = makeKeyPair();
			await authorizeRootKey(guest, publicKeyOf(encrypted.publicPath));
			await authorizeRootKey(guest, publicKeyOf(agentKey.publicPath));
			await listenAlsoOn(guest, 2222);
			const home = temporaryHome();
			const log = memoryLogger();
			const options: ConnectOptions = {log, home: home.home, env: {}};
			try {
				// Key file; the fingerprint given in advance is recorded in known_hosts.
				const first = await connect(
					{connection: guestConnection(guest, home.home)},
					options,
				);
				t.is(first.privilege, 'root');
				t.is(first.hostKeyFingerprint, guest.hostKeyFingerprint);
				t.is(first.roundTrips, 1, 'privilege detection is one round trip');
				t.is(await whoami(first), 'root');
				const knownHosts = readFileSync(
					path.join(home.ssh, 'known_hosts'),
					'utf8',
				);
				t.regex(
					knownHosts,
					new RegExp(
						`^${guest.address.replaceAll('.', String.raw`\.`)} ssh-ed25519 `,
					),
				);

				// Now known: no fingerprint needed.
				const known: Connection = guestConnection(guest, home.home, {
					hostKeyFingerprint: undefined,
				});
				t.is(await whoami(await connect({connection: known}, options)), 'root');

				// Encrypted key, passphrase from the input.
				const withPassphrase = {
					...known,
					identity: encrypted.path,
					keyPassphrase: passphrase,
				};
				t.is(
					await whoami(await connect({connection: withPassphrase}, options)),
					'root',
				);

				// Encrypted key, passphrase asked exactly once.
				const prompter = scriptedPrompter({secrets: [passphrase]});
				t.is(
					await whoami(
						await connect(
							{connection: {...known, identity: encrypted.path}},
							{...options, prompter},
						),
					),
					'root',
				);
				t.deepEqual(prompter.questions, [
					`secret: Passphrase for ${encrypted.path}`,
				]);

				// Ssh-agent only: no key file anywhere.
				const agent = startAgent([agentKey.path]);
				try {
					const viaAgent = await connect(
						{connection: {...known, identity: undefined}},
						{...options, env: {SSH_AUTH_SOCK: agent.socket}},
					);
					t.is(await whoami(viaAgent), 'root');
					t.true(
						log.lines.some(line =>
							line.includes('logged in with ssh-agent key'),
						),
					);
				} finally {
					agent.stop();
				}

				// A ~/.ssh/config alias with HostName, Port, User and IdentityFile.
				writeFileSync(
					path.join(home.ssh, 'config'),
					`Host staging\n  HostName ${guest.address}\n  Port 2222\n  User root\n  IdentityFile ${encrypted.path}\n`,
				);
				const aliased = await connect(
					{
						connection: {
							host: 'staging',
							knownHosts: known.knownHosts,
							keyPassphrase: passphrase,
							hostKeyFingerprint: guest.hostKeyFingerprint,
						},
					},
					options,
				);
				t.like(aliased.target, {
					alias: 'staging',
					hostname: guest.address,
					port: 2222,
					user: 'root',
				});
				const port = await aliased.exec('echo "$SSH_CONNECTION"');
				t.regex(
					port.stdout,
					/ 2{4}\n$/,
					'the server side of the connection is port 2222',
				);
				await aliased.close();
				t.true(
					readFileSync(known.knownHosts, 'utf8').includes(
						`[${guest.address}]:2222 ssh-ed25519 `,
					),
				);

				t.false(
					log.lines.join('\n').includes(passphrase),
					'the passphrase never reaches the log',
				);
			} finally {
				home.dispose();
			}
		});
	},
);

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
				t.true(Date.now() - started < 4000);
			} finally {
				home.dispose();
			}
		});
	},
);
