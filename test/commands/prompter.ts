import {PassThrough} from 'node:stream';
import test from 'ava';
import {terminalPrompter} from '../../source/commands/prompter.js';
import {rememberAnswers} from '../../source/commands/remote.js';

const streamsWith = (answer: string) => {
	const stdin = new PassThrough();
	const stderr = new PassThrough();
	let shown = '';
	stderr.on('data', (chunk: Uint8Array) => {
		shown += String(chunk);
	});
	setTimeout(() => stdin.write(answer), 10);
	return {
		streams: {stdin, stdout: new PassThrough(), stderr},
		shown: () => shown,
	};
};

test('a secret answer is returned and never echoed', async t => {
	const {streams, shown} = streamsWith('canary-passphrase\n');
	const answer = await terminalPrompter(streams).secret(
		'Passphrase for ~/.ssh/id_ed25519:',
	);
	t.is(answer, 'canary-passphrase');
	t.is(shown(), 'Passphrase for ~/.ssh/id_ed25519: \n');
});

test('confirm is yes only for y or yes', async t => {
	for (const [typed, expected] of [
		['y\n', true],
		['yes\n', true],
		['\n', false],
		['no\n', false],
	] as const) {
		const {streams} = streamsWith(typed);
		// eslint-disable-next-line no-await-in-loop -- one question at a time, as a person answers
		const answer = await terminalPrompter(streams).confirm('Trust this key?');
		t.is(answer, expected, `answer ${JSON.stringify(typed)}`);
	}
});

test('remembered answers are asked once per question', async t => {
	const asked: string[] = [];
	const prompter = rememberAnswers({
		confirm: async () => true,
		async secret(question) {
			asked.push(question);
			return `answer to ${question}`;
		},
	});
	t.is(
		await prompter!.secret('Passphrase for id:'),
		'answer to Passphrase for id:',
	);
	t.is(
		await prompter!.secret('Passphrase for id:'),
		'answer to Passphrase for id:',
	);
	t.is(await prompter!.secret('sudo password:'), 'answer to sudo password:');
	t.deepEqual(asked, ['Passphrase for id:', 'sudo password:']);
	t.is(rememberAnswers(undefined), undefined);
});
