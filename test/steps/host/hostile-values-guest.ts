import {Buffer} from 'node:buffer';
import {existsSync} from 'node:fs';
import {randomBytes} from 'node:crypto';
import type {ExecutionContext} from 'ava';
import {loadInput} from '../../helpers/load-input.js';
import {UsageError} from '../../../source/errors.js';
import {connect} from '../../../source/remote/connect.js';
import {basePackagesStep} from '../../../steps/host/base-packages.js';
import {paths} from '../../../steps/host/paths.js';
import {type Guest, guestTest, withGuest} from '../../helpers/guest/index.js';
import {
	guestInput,
	operatorKeyPair,
	rootSession,
	runHostPhase,
} from '../../helpers/host-phase.js';
import {hostilePayloads} from '../../helpers/hostile.js';
import {addUser, stdoutOf} from '../../helpers/remote-guest.js';
import {
	guestConnection,
	memoryLogger,
	temporaryHome,
} from '../../helpers/remote.js';

// One path for both sides: a hostile value that ran anywhere would leave it on the laptop or the guest.
const marker = `/tmp/ck8s-hostile-${randomBytes(6).toString('hex')}`;
const touch = `touch ${marker}`;

/** Every byte but letters and digits percent-encoded: what a URL does with hostile text. */
const percentEncoded = (text: string) =>
	[...Buffer.from(text)]
		.map(byte =>
			/[A-Za-z\d]/.test(String.fromCodePoint(byte))
				? String.fromCodePoint(byte)
				: `%${byte.toString(16).toUpperCase().padStart(2, '0')}`,
		)
		.join('');

async function noMarker(t: ExecutionContext, guest: Guest, when: string) {
	const onGuest = await guest.exec(`test -e ${marker}`);
	t.not(onGuest.code, 0, `${when}: a marker appeared on the guest`);
	t.false(existsSync(marker), `${when}: a marker appeared on the laptop`);
}

guestTest(
	'hostile values on a real guest: the apt proxy cannot inject a root hook; accepted ones arrive byte-exact and inert',
	async t => {
		t.timeout(15 * 60_000);
		await withGuest({name: 'hostile'}, async guest => {
			// Apt must go through input.proxy alone, not the harness's own apt config.
			const removed = await guest.exec(
				'rm /etc/apt/apt.conf.d/91ck8s-test-proxy',
			);
			t.is(removed.code, 0, removed.stderr);
			const operatorKey = operatorKeyPair();

			// Issue 12 item 1: a quote ends apt's string and adds a hook apt-get update runs as root.
			const injection = `${guest.aptProxyUrl}/";APT::Update::Pre-Invoke {"${touch}";};//`;
			t.throws(() => loadInput({env: {CODEXK8S_HTTP_PROXY: injection}}), {
				instanceOf: UsageError,
				message: /• proxy\.http must be/,
			});
			// Past the schema (as if a bug let it through), the apt encoder still writes nothing.
			const root = await rootSession(guest);
			const bypass = {
				...guestInput(guest, operatorKey),
				proxy: {http: injection},
			};
			const refused = await runHostPhase(root, bypass, {
				steps: [basePackagesStep],
			});
			await root.close();
			t.false(refused.ok);
			const dropIn = await guest.exec(`test -e ${paths.aptProxy}`);
			t.not(dropIn.code, 0, 'the injected drop-in was written');
			// An apt-get update runs every Pre-Invoke hook in apt.conf.d, as the daily timer would.
			await guest.exec(
				`apt-get -q -o Acquire::http::Proxy=${guest.aptProxyUrl} update`,
			);
			await noMarker(t, guest, 'after apt-get update');

			// Accepted hostile values, in one install run: the proxy's user and password carry
			// shell and apt syntax percent-encoded, and every root script goes through sudo
			// with a password full of shell syntax.
			const payloads = hostilePayloads(marker);
			const sudoPassword = [
				payloads['double quote'],
				payloads['single quote'],
				payloads['command substitution'],
				payloads.backticks,
				payloads['non-ASCII'],
			].join('');
			const proxy = guest.aptProxyUrl.replace(
				'http://',
				`http://${percentEncoded(payloads['double quote'])}:${percentEncoded(sudoPassword)}@`,
			);
			const input = guestInput(guest, operatorKey, {proxy: {http: proxy}});
			t.is(input.proxy.http, proxy);
			await addUser(guest, 'pw', {
				keys: [guest.rootPublicKey],
				sudo: 'password',
				password: sudoPassword,
			});
			const home = temporaryHome();
			const session = await connect(
				{
					connection: guestConnection(guest, home.home, {
						user: 'pw',
						sudoPassword,
					}),
				},
				{log: memoryLogger(), home: home.home, env: {}},
			);
			try {
				t.is(session.privilege, 'sudo-password');
				t.is(await stdoutOf(session.exec('id -u', {root: true})), '0\n');
				const result = await runHostPhase(session, input, {
					steps: [basePackagesStep],
				});
				t.true(result.ok, String(result.error));
			} finally {
				await session.close();
				home.dispose();
			}

			const written = await guest.exec(`cat ${paths.aptProxy}`);
			t.is(
				written.stdout,
				`Acquire::http::Proxy "${proxy}";\nAcquire::https::Proxy "${proxy}";\n`,
			);
			const dump = await guest.exec('apt-config dump Acquire::http::Proxy');
			t.true(
				dump.stdout.includes(`Acquire::http::Proxy "${proxy}";`),
				dump.stdout,
			);
			const jq = await guest.exec(
				"dpkg -s jq | grep -qx 'Status: install ok installed'",
			);
			t.is(jq.code, 0, 'apt installed jq through the proxy');
			await noMarker(t, guest, 'after the install run');
		});
	},
);
