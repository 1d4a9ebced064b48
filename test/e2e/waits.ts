import {once} from 'node:events';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {createServer, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ensureBuilt, type RunningCli, startCli} from '../helpers/cli.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {makeKeyPair} from '../helpers/keys.js';
import {startInTerminal} from '../helpers/terminal.js';

/*
 * No silent waits between the questions and the plan: what the run waits for is on the screen
 * with the time it has taken, in a terminal as one live line, without one as plain lines.
 */

const sockets = new Set<Socket>();
// Accepts and never says a word: an SSH connection that waits for the handshake.
const silent = createServer(socket => {
	sockets.add(socket);
});
silent.listen(0, '127.0.0.1');
await once(silent, 'listening');
const silentPort = (silent.address() as {port: number}).port;

/** How long a screen may take to come on a busy machine; a wait ends as soon as it comes. */
const busy = 120_000;

test.before(() => {
	ensureBuilt();
});

test.after.always(() => {
	for (const socket of sockets) {
		socket.destroy();
	}

	silent.close();
});

async function untilStderr(cli: RunningCli, pattern: RegExp): Promise<void> {
	await new Promise<void>((resolve, reject) => {
		const check = () => {
			if (pattern.test(cli.stderr())) {
				cli.child.stderr?.off('data', check);
				resolve();
			}
		};

		cli.child.stderr?.on('data', check);
		cli.child.once('close', () => {
			reject(new Error(`exited before ${String(pattern)}: ${cli.stderr()}`));
		});
		check();
	});
}

test('without a terminal, a GitHub check that does not answer shows as a plain line naming it, then its time', async t => {
	t.timeout(5 * 60_000);
	const standIn = await startGitHubStandIn();
	t.teardown(standIn.close);
	standIn.faults.push('stall');
	const home = mkdtempSync(join(tmpdir(), 'ck8s-waits-'));
	const tokenFile = join(home, 'token');
	writeFileSync(tokenFile, fullToken);
	const cli = startCli(
		[
			'install',
			'--non-interactive',
			'--yes',
			'--only',
			'github',
			'--mode',
			'local',
			'--host',
			'203.0.113.10',
			'--repo',
			`${standIn.repo.owner}/${standIn.repo.name}`,
			'--token-file',
			tokenFile,
			'--github-api-url',
			standIn.url,
		],
		{home},
	);
	t.teardown(() => cli.child.kill());
	await untilStderr(
		cli,
		/^ {2}… Checking GitHub: (.+)\n {2}… Checking GitHub: \1: \d+ s so far\n/m,
	);
	t.is(standIn.requests.length, 1, 'still waiting for the first answer');
});

test('in a terminal, the wait after the review names what it waits for and the time so far', async t => {
	t.timeout(5 * 60_000);
	const home = mkdtempSync(join(tmpdir(), 'ck8s-waits-'));
	const key = makeKeyPair();
	const terminal = startInTerminal(
		[
			'install',
			'--only',
			'host',
			'--mode',
			'local',
			'--port',
			String(silentPort),
			'--user',
			'root',
			'--identity',
			key.path,
		],
		{home},
	);
	t.teardown(() => terminal.child.kill());
	await terminal.waitFor(
		/1\/1 Server address or ~\/\.ssh\/config alias\s*\n\s*›/,
		busy,
	);
	await terminal.type(...'127.0.0.1', '\r');
	await terminal.waitFor(/Review/, busy);
	await terminal.type('\r');
	await terminal.waitFor(
		new RegExp(
			String.raw`… Connecting to root@127\.0\.0\.1:${silentPort} · [1-9]\d* s`,
		),
		busy,
	);
	t.notRegex(terminal.screen(), /Plan for/, 'still connecting');
});

test('plan --probe: Ctrl-C while it waits to connect ends at once in one line, exit 130', async t => {
	t.timeout(5 * 60_000);
	const key = makeKeyPair();
	const cli = startCli([
		'plan',
		'--probe',
		'--only',
		'host',
		'--mode',
		'local',
		'--host',
		'127.0.0.1',
		'--port',
		String(silentPort),
		'--identity',
		key.path,
	]);
	t.teardown(() => cli.child.kill());
	await untilStderr(cli, /^ {2}… Connecting to root@127\.0\.0\.1:\d+\n/m);
	cli.child.kill('SIGINT');
	const result = await cli.result;
	t.is(result.code, 130, `stderr: ${result.stderr}`);
	t.deepEqual(
		result.stderr
			.split('\n')
			.filter(line => line !== '' && !line.startsWith('  … ')),
		['✖ Stopped before any change; nothing was changed'],
	);
});
