import {Buffer} from 'node:buffer';
import {PassThrough} from 'node:stream';
import test from 'ava';
import {createWaits} from '../../source/report/waits.js';
import {poll} from '../../source/wait.js';

const clear = '\r\u001B[2K';

function capture() {
	const stream = new PassThrough();
	let text = '';
	stream.on('data', (chunk: Uint8Array) => {
		text += Buffer.from(chunk).toString('utf8');
	});
	return {stream, text: () => text};
}

const until = async (condition: () => boolean) =>
	poll(async () => (condition() ? true : undefined), {
		delayMs: 5,
		maxDelayMs: 5,
		timeoutMs: 30_000,
		signal: new AbortController().signal,
	});

test('without a terminal: a line once the wait lasts, the time it took when it ends; a quick wait says nothing', async t => {
	const out = capture();
	let clock = 0;
	const waits = createWaits(out.stream, {
		live: false,
		now: () => clock,
		quietMs: 0,
	});
	waits.begin('Connecting to root@h:22');
	await until(() => out.text().includes('\n'));
	clock = 3000;
	waits.line('  › GitHub answered 502, retry 1/3 in 1 s');
	waits.end();
	const quiet = createWaits(out.stream, {live: false, quietMs: 60_000});
	quiet.begin('Reading the host');
	quiet.end();
	t.is(
		out.text(),
		[
			'  … Connecting to root@h:22',
			'  › GitHub answered 502, retry 1/3 in 1 s',
			'  … Connecting to root@h:22: done after 3 s',
			'',
		].join('\n'),
	);
});

test('in a terminal: one line with the time so far, lines printed above it, off the screen while a question is asked and when it ends', t => {
	const out = capture();
	let clock = 0;
	const waits = createWaits(out.stream, {live: true, now: () => clock});
	waits.begin('Connecting to root@h:22');
	clock = 2000;
	waits.line('  › a retry');
	waits.pause();
	waits.resume();
	waits.begin('Checking GitHub: GitHub token permissions');
	waits.end();
	t.is(
		out.text(),
		[
			`${clear}  … Connecting to root@h:22`,
			`${clear}  › a retry\n`,
			`${clear}  … Connecting to root@h:22 · 2 s`,
			clear,
			`${clear}  … Connecting to root@h:22 · 2 s`,
			clear,
			`${clear}  … Checking GitHub: GitHub token permissions`,
			clear,
		].join(''),
	);
});
