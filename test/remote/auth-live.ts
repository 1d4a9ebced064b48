import {readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import type {UserError} from '../../source/errors.js';
import {connect, type ConnectOptions} from '../../source/remote/connect.js';
import type {RemoteSession} from '../../source/remote/types.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {makeKeyPair} from '../helpers/keys.js';
import {
	authorizeRootKey,
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
				const blob = (line?: string) => line?.split(' ')[1];
				t.is(
					blob(first.loginPublicKey),
					blob(publicKeyOf(guest.rootKeyPath + '.pub')),
					'the public half of the key that logged in is known',
				);
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
					t.is(
						blob(viaAgent.loginPublicKey),
						blob(publicKeyOf(agentKey.publicPath)),
						'an agent-only key: its public half is known too (the operator key default)',
					);
					t.true(
						log.lines.some(line =>
							line.includes('logged in with ssh-agent key'),
						),
					);

					// IdentitiesOnly: the agent's other keys are not offered.
					const unlisted = makeKeyPair();
					writeFileSync(
						path.join(home.ssh, 'config'),
						`Host only\n  HostName ${guest.address}\n  IdentitiesOnly yes\n  IdentityFile ${unlisted.path}\n`,
					);
					const only = await t.throwsAsync<UserError>(
						connect(
							{connection: {...known, host: 'only', identity: undefined}},
							{...options, env: {SSH_AUTH_SOCK: agent.socket}},
						),
						{message: /refused every SSH key offered/},
					);
					t.false(only?.hint?.includes('ssh-agent') ?? true, only?.hint);

					// An agent whose keys the host refuses, then an encrypted key: the passphrase is
					// asked once, after the agent failed, and the second connection logs in.
					const strangerAgent = startAgent([unlisted.path]);
					try {
						const asking = scriptedPrompter({secrets: [passphrase]});
						const late = await connect(
							{connection: {...known, identity: encrypted.path}},
							{
								...options,
								prompter: asking,
								env: {SSH_AUTH_SOCK: strangerAgent.socket},
							},
						);
						t.is(await whoami(late), 'root');
						t.is(asking.questions.length, 1);
					} finally {
						strangerAgent.stop();
					}
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
