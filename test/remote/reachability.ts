import {createServer} from 'node:net';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';
import {InterruptedError, UserError} from '../../source/errors.js';
import {openSocket, unreachable} from '../../source/remote/reachability.js';
import {findScriptsDirectory} from '../../source/assets.js';

test('each reachability failure has its own message', t => {
	const context = {timeoutMs: 10_000};
	t.regex(
		unreachable('nosuch.example', 22, 'ENOTFOUND', context).message,
		/nosuch\.example does not resolve/,
	);
	t.regex(
		unreachable('h', 2200, 'ECONNREFUSED', context).message,
		/nothing is listening on h port 2200/,
	);
	const timeout = unreachable('h', 22, 'ETIMEDOUT', context);
	t.regex(timeout.message, /did not answer within 10 s/);
	t.regex(timeout.hint!, /firewall/);
	t.regex(
		unreachable('h', 22, 'EHOSTUNREACH', {timeoutMs: 1, via: 'jump'}).message,
		/h port 22 \(through jump\) is unreachable/,
	);
	t.is(unreachable('h', 22, undefined, context).exitCode, 1);
});

test('a closed loopback port is refused, an open one connects, an abort interrupts', async t => {
	const server = createServer(socket => {
		socket.destroy();
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	const socket = await openSocket('127.0.0.1', port, 2000);
	socket.destroy();
	await new Promise<void>(resolve => {
		server.close(() => {
			resolve();
		});
	});
	await t.throwsAsync(openSocket('127.0.0.1', port, 2000), {
		instanceOf: UserError,
		message: /nothing is listening on 127\.0\.0\.1 port/,
	});
	const controller = new AbortController();
	controller.abort();
	await t.throwsAsync(openSocket('127.0.0.1', port, 2000, controller.signal), {
		instanceOf: InterruptedError,
	});
});

test('assets/scripts is found from source/remote, dist/ and dist/chunks/', t => {
	const root = fileURLToPath(new URL('../../', import.meta.url));
	const expected = path.join(root, 'assets', 'scripts');
	for (const from of ['source/remote', 'dist', 'dist/chunks']) {
		t.is(findScriptsDirectory(path.join(root, from)), expected, `from ${from}`);
	}

	t.throws(() => findScriptsDirectory('/'), {message: /no assets\/scripts/});
});
