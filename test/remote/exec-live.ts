import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import {UserError} from '../../source/errors.js';
import {connect} from '../../source/remote/connect.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {stdoutOf, testScripts} from '../helpers/remote-guest.js';
import {
	guestConnection,
	memoryLogger,
	temporaryHome,
} from '../helpers/remote.js';

guestTest(
	'exec streams lines, probe batches in one round trip, runScript passes values exactly, upload is atomic and checked; timeouts and cancels kill the remote command, a stop request lets it finish; a cut link is a resumable error',
	async t => {
		await withGuest({}, async guest => {
			const home = temporaryHome();
			const session = await connect(
				{connection: guestConnection(guest, home.home)},
				{
					log: memoryLogger(),
					home: home.home,
					env: {},
					scriptsDirectory: testScripts,
					timing: {keepaliveIntervalMs: 1000, keepaliveCountMax: 3},
				},
			);
			try {
				const lines: string[] = [];
				const result = await session.exec(
					'echo one; echo two >&2; printf "three"; exit 3',
					{
						onLine(line, stream) {
							lines.push(`${stream}:${line}`);
						},
					},
				);
				t.deepEqual(result, {code: 3, stdout: 'one\nthree', stderr: 'two\n'});
				t.deepEqual(lines.toSorted(), [
					'stderr:two',
					'stdout:one',
					'stdout:three',
				]);
				t.is(
					await stdoutOf(session.exec('cat', {stdin: 'from stdin\n'})),
					'from stdin\n',
				);

				const trips = session.roundTrips;
				const probes = await session.probe({
					os: '. /etc/os-release && echo "$ID"',
					failing: 'echo no such thing >&2; exit 7',
					quiet: 'true',
					greedy: 'cat; echo done',
					exact: String.raw`printf 'a\tb\n\n'`,
				});
				t.is(session.roundTrips, trips + 1, 'all probes in one round trip');
				t.deepEqual(probes, {
					os: {code: 0, output: 'debian\n'},
					failing: {code: 7, output: 'no such thing\n'},
					quiet: {code: 0, output: ''},
					greedy: {code: 0, output: 'done\n'},
					exact: {code: 0, output: 'a\tb\n\n'},
				});

				const first =
					'line one\nline "two" with \'quotes\' $HOME `x` \\ ünïcødé\n\n';
				const values = await session.runScript('values.sh', {
					values: {first, second: ''},
				});
				const decoded = Object.fromEntries<string>(
					values.stdout
						.trim()
						.split('\n')
						.map(line => {
							const [key = '', value = ''] = line.split('=');
							return [
								key,
								key === 'user'
									? value
									: Buffer.from(value, 'base64').toString('utf8'),
							];
						}),
				);
				t.deepEqual(decoded, {first, second: '', user: 'root'});
				t.is(
					await stdoutOf(session.runScript('stdin-eater.sh')),
					'ran to the end\n',
					'a command that reads stdin cannot swallow the rest of the script',
				);
				await t.throwsAsync(session.runScript('../etc/passwd'), {
					message: /invalid script name/,
				});

				const bytes = Buffer.from(
					Array.from({length: 3000}, (_, index) => index % 256),
				);
				await guest.exec('install -d /srv/ck8s && id -u nobody');
				await session.upload(bytes, '/srv/ck8s/blob.bin', {
					mode: 0o640,
					owner: 'nobody:nogroup',
				});
				const stat = await guest.exec(
					'stat -c "%a %U %G %s" /srv/ck8s/blob.bin && sha256sum /srv/ck8s/blob.bin && ls -A /srv/ck8s',
				);
				t.is(
					stat.stdout,
					`640 nobody nogroup 3000\n${createHash('sha256').update(bytes).digest('hex')}  /srv/ck8s/blob.bin\nblob.bin\n`,
					'content, mode and owner are right, and no temp file is left',
				);
				await session.upload('second\n', '/srv/ck8s/blob.bin', {mode: 0o644});
				t.is(await stdoutOf(guest.exec('cat /srv/ck8s/blob.bin')), 'second\n');
				await t.throwsAsync(
					session.upload('x', '/srv/missing/dir/file', {mode: 0o644}),
					{
						instanceOf: UserError,
						message: /could not write \/srv\/missing\/dir\/file/,
					},
				);

				await t.throwsAsync(
					session.exec('sleep 4343 & sleep 4344', {timeoutMs: 700}),
					{
						instanceOf: UserError,
						message:
							/"sleep 4343 & sleep 4344" did not finish within 0.7 s and was stopped/,
					},
				);
				t.is(
					await stdoutOf(guest.exec('pgrep -af "sleep 434[34]" || true')),
					'',
					'the timed-out command and its children were stopped',
				);
				// A stop request (first Ctrl-C) lets the running command finish; cancel kills it.
				const stop = new AbortController();
				const finishing = session.exec(
					'echo started; sleep 0.6; echo finished',
					{
						signal: stop.signal,
						onLine(line) {
							if (line === 'started') {
								stop.abort();
							}
						},
					},
				);
				t.is(await stdoutOf(finishing), 'started\nfinished\n');
				const controller = new AbortController();
				const aborted = session.exec('sleep 4545', {cancel: controller.signal});
				setTimeout(() => {
					controller.abort();
				}, 300);
				await t.throwsAsync(aborted, {name: 'InterruptedError'});
				t.is(
					await stdoutOf(guest.exec('pgrep -af "sleep 4[345]4[345]" || true')),
					'',
					'the commands and their children are gone',
				);
				// Cancelled at once, before the channel is open and the command's pid is known.
				const early = new AbortController();
				const cancelled = session.exec('sleep 4646', {cancel: early.signal});
				setImmediate(() => {
					early.abort();
				});
				await t.throwsAsync(cancelled, {name: 'InterruptedError'});
				t.is(
					await stdoutOf(guest.exec('pgrep -af "sleep 4[6]46" || true')),
					'',
					'a command cancelled before its pid was known is gone too',
				);
				const already = new AbortController();
				already.abort();
				const trips2 = session.roundTrips;
				await t.throwsAsync(session.exec('true', {signal: already.signal}), {
					name: 'InterruptedError',
				});
				t.is(session.roundTrips, trips2, 'nothing is sent after the abort');

				// The link dies mid-command: a resumable error within the keepalive window, not a hang.
				const cut = Date.now();
				const hanging = session.exec('sleep 600');
				setTimeout(() => {
					void guest.cutNetwork();
				}, 200);
				const lost = await t.throwsAsync(hanging, {
					instanceOf: UserError,
					message: /SSH connection to .* was lost/,
				});
				t.true(lost.hint!.includes('codex-k8s-install resume'));
				// Keepalives (1 s × 3) notice it; without them TCP would wait for many minutes.
				t.true(Date.now() - cut < 60_000, `took ${Date.now() - cut} ms`);
				await t.throwsAsync(session.exec('true'), {message: /was lost/});
			} finally {
				await session.close();
				home.dispose();
			}
		});
	},
);
