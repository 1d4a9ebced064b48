import {once} from 'node:events';
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {createServer, type Server, type Socket} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test, {type ExecutionContext} from 'ava';
import {ensureBuilt, runCliAsync, type CliResult} from '../helpers/cli.js';
import {makeKeyPair} from '../helpers/keys.js';
import {
	failureRows,
	type FailureRow,
	type Fixtures,
} from '../helpers/failure-rows.js';

/*
 * Bad input and everyday failures, each run against the built CLI as a user would, twice: as typed,
 * and with --json. Every row asserts the exit code, the exact first line on stderr, that no stack
 * or "this is a bug" shows, and with --json that stdout is one JSON document saying the same.
 */

/** At most this many CLIs at once: enough to overlap start-ups, few enough for a busy 2-core box. */
const parallel = 6;
let running = 0;
const queue: Array<() => void> = [];

async function limited<T>(job: () => Promise<T>): Promise<T> {
	if (running >= parallel) {
		await new Promise<void>(resolve => {
			queue.push(resolve);
		});
	}

	running++;
	try {
		return await job();
	} finally {
		running--;
		queue.shift()?.();
	}
}

async function listen(server: Server): Promise<number> {
	server.listen(0, '127.0.0.1');
	await once(server, 'listening');
	return (server.address() as {port: number}).port;
}

const sockets = new Set<Socket>();
// Accepts and never answers: an SSH handshake that never completes, without leaving the machine.
const blackHole = createServer(socket => {
	sockets.add(socket);
});

async function makeFixtures(): Promise<Fixtures> {
	const root = mkdtempSync(join(tmpdir(), 'ck8s-failures-'));
	const file = (name: string, text: string) => {
		const path = join(root, name);
		writeFileSync(path, text);
		return path;
	};

	mkdirSync(join(root, 'a-directory'));
	// A port that was just free: nothing listens there, so a connection is refused.
	const closed = createServer();
	const closedPort = await listen(closed);
	closed.close();
	await once(closed, 'close');
	return {
		root,
		file: file('a-file', 'not a directory\n'),
		directory: join(root, 'a-directory'),
		key: makeKeyPair().path,
		closedPort,
		blackHolePort: await listen(blackHole),
		config: (name, text) => file(name, text),
	};
}

const fixtures = await makeFixtures();

test.before(() => {
	ensureBuilt();
});

test.after.always(() => {
	for (const socket of sockets) {
		socket.destroy();
	}

	blackHole.close();
});

const stackLine = /^\s+at .+:\d+:\d+\)?$/m;

function assertPlain(
	t: ExecutionContext,
	result: CliResult,
	code: number,
	first: string,
) {
	t.is(result.code, code, `stderr: ${result.stderr}`);
	// Lines of progress (what a slow failure waited for) come before the message.
	t.is(
		result.stderr.split('\n').find(line => !/^ {2}[…›] /.test(line)),
		first,
	);
	t.notRegex(result.stderr, stackLine, 'no stack');
	t.notRegex(result.stderr, /this is a bug/);
}

async function check(t: ExecutionContext, row: FailureRow): Promise<void> {
	const args = typeof row.args === 'function' ? row.args(fixtures) : row.args;
	const env = typeof row.env === 'function' ? row.env(fixtures) : row.env;
	const first =
		typeof row.first === 'function' ? row.first(fixtures) : row.first;
	const [plain, json] = await Promise.all([
		limited(async () => runCliAsync(args, {env})),
		limited(async () => runCliAsync(['--json', ...args], {env})),
	]);
	assertPlain(t, plain, row.code, first);
	t.regex(plain.stderr, row.rest ?? /^/);

	assertPlain(t, json, row.code, first);
	const document = JSON.parse(json.stdout) as {
		ok: boolean;
		error: {message: string; exitCode: number};
	};
	t.false(document.ok);
	t.is(document.error.exitCode, row.code);
	t.is(`✖ ${document.error.message.split('\n')[0]!}`, first);
}

for (const row of failureRows) {
	test(row.name, check, row);
}
