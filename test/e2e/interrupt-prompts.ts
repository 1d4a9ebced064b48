import {once} from 'node:events';
import {existsSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {createServer} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {poll} from '../../source/wait.js';
import {ensureBuilt, runCliAsync} from '../helpers/cli.js';
import {startGitHubStandIn} from '../helpers/github/server.js';
import {makeKeyPair} from '../helpers/keys.js';
import {startInTerminal, type Terminal} from '../helpers/terminal.js';

/*
 * Ctrl-C at every kind of prompt of the built CLI in a real terminal: a text answer, a choice, a
 * yes/no question and a check in progress. Each stops with exit 130 and one line, and changes
 * nothing: no state written, no run recorded, nothing sent to GitHub.
 */

const ctrlC = '\u0003';
const stackLine = /^\s+at .+:\d+:\d+\)?$/m;
const inWizard = '✖ Stopped in the wizard; nothing was changed';

/** How long a screen may take to come on a busy machine; a wait ends as soon as it comes. */
const busy = 120_000;

test.before(() => {
	ensureBuilt();
});

const freshHome = () => mkdtempSync(join(tmpdir(), 'ck8s-ctrl-c-'));
const stateFile = (home: string) => join(home, 'state', 'state.json');
const logsOf = (home: string) =>
	existsSync(join(home, 'state', 'logs'))
		? readdirSync(join(home, 'state', 'logs'))
		: [];

/** A port on 127.0.0.1 that was just free: a connection there is refused. */
async function closedPort(): Promise<number> {
	const server = createServer();
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	const {port} = server.address() as {port: number};
	server.close();
	await once(server, 'close');
	return port;
}

/**
 * Press Ctrl-C on the screen as it is and judge what follows: exit 130 and exactly `line`, apart
 * from a redraw of the question that was on the screen (a timer may draw it once more).
 */
async function pressCtrlC(
	t: ExecutionContext,
	terminal: Terminal,
	line: string,
): Promise<void> {
	const before = terminal.screen();
	const onScreen = new Set(before.split(/\r?\n/).map(text => text.trim()));
	await terminal.type(ctrlC);
	t.is(await terminal.exitCode, 130, terminal.screen().slice(-1500));
	const after = terminal.screen().slice(before.length);
	t.notRegex(after, stackLine, 'no stack');
	t.notRegex(after, /aborterror|this is a bug|resume/i);
	t.deepEqual(
		after
			.split(/\r?\n/)
			.map(text => text.trim())
			.filter(text => text !== '' && !onScreen.has(text)),
		[line],
		after,
	);
}

test('Ctrl-C at a text answer (the server address): exit 130, one line, nothing written', async t => {
	t.timeout(5 * 60_000);
	const home = freshHome();
	const terminal = startInTerminal(['install'], {home});
	t.teardown(() => terminal.child.kill());
	await terminal.waitFor(
		/1\/\d+ Server address or ~\/\.ssh\/config alias\s*\n\s*›/,
		busy,
	);
	await pressCtrlC(t, terminal, inWizard);
	t.false(existsSync(stateFile(home)), 'no state written');
	t.deepEqual(logsOf(home), []);
});

test('Ctrl-C at a choice (the runner mode): exit 130, one line, nothing written', async t => {
	t.timeout(5 * 60_000);
	const home = freshHome();
	const key = makeKeyPair();
	const terminal = startInTerminal(
		[
			'install',
			'--only',
			'host',
			'--host',
			'127.0.0.1',
			'--port',
			String(await closedPort()),
			'--user',
			'root',
			'--identity',
			key.path,
		],
		{home},
	);
	t.teardown(() => terminal.child.kill());
	await terminal.waitFor(
		/Runner mode\s*\n❯ local\s*\n\s+server \+ domain/,
		busy,
	);
	await pressCtrlC(t, terminal, inWizard);
	t.false(existsSync(stateFile(home)));
	t.deepEqual(logsOf(home), []);
});

test('Ctrl-C at a yes/no question (the resume offer): exit 130, one line, the state file untouched', async t => {
	t.timeout(5 * 60_000);
	const home = freshHome();
	const key = makeKeyPair();
	const args = [
		'install',
		'--only',
		'host',
		'--mode',
		'local',
		'--host',
		'127.0.0.1',
		'--port',
		String(await closedPort()),
		'--identity',
		key.path,
	];
	// A run that failed (the port refuses): the next install in a terminal offers to resume it.
	const failed = await runCliAsync([...args, '--non-interactive', '--yes'], {
		home,
	});
	t.is(failed.code, 1, `stderr: ${failed.stderr}`);
	const state = readFileSync(stateFile(home), 'utf8');
	const logs = logsOf(home);

	const terminal = startInTerminal(args, {home});
	t.teardown(() => terminal.child.kill());
	await terminal.waitFor(/failed\. Resume it\? \[Y\/n] $/, busy);
	await pressCtrlC(
		t,
		terminal,
		'✖ Stopped at the question; nothing was changed',
	);
	t.is(
		readFileSync(stateFile(home), 'utf8'),
		state,
		'the state file as it was',
	);
	t.deepEqual(logsOf(home), logs, 'no new log');
});

test('Ctrl-C while the token is being checked (GitHub does not answer): exit 130, one line, nothing sent', async t => {
	t.timeout(5 * 60_000);
	const standIn = await startGitHubStandIn();
	t.teardown(standIn.close);
	standIn.faults.push('stall');
	const home = freshHome();
	const key = makeKeyPair();
	const terminal = startInTerminal(
		[
			'install',
			'--only',
			'github',
			'--mode',
			'local',
			'--host',
			'127.0.0.1',
			'--port',
			String(await closedPort()),
			'--user',
			'root',
			'--identity',
			key.path,
			'--repo',
			`${standIn.repo.owner}/${standIn.repo.name}`,
			'--github-api-url',
			standIn.url,
		],
		{home},
	);
	t.teardown(() => terminal.child.kill());
	await terminal.waitFor(/GitHub fine-grained token[\s\S]*›/, busy);
	await terminal.type('github_pat_never_checked', '\r');
	await terminal.waitFor(/checking…/, busy);
	// The check's request reached GitHub and waits for its answer.
	await poll(async () => (standIn.requests.length > 0 ? true : undefined), {
		delayMs: 50,
		maxDelayMs: 50,
		timeoutMs: 60_000,
		signal: new AbortController().signal,
	});
	await pressCtrlC(t, terminal, inWizard);
	t.deepEqual(standIn.writes(), []);
	t.false(existsSync(stateFile(home)));
	t.deepEqual(logsOf(home), []);
});
