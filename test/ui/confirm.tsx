import test from 'ava';
import {render} from 'ink-testing-library';
import {Confirm, Secret} from '../../source/ui/Confirm.js';
import {fakeSecret} from '../helpers/secrets.js';
import {keys, plain, press, renderAt} from '../helpers/ink.js';

const hostKeyQuestion =
	"The authenticity of 203.0.113.10 port 22 can't be established. Its ssh-ed25519 key fingerprint is SHA256:4vZ0mJd8oX2tq6m1a9bVx0uK2c3dE4fG5hI6jK7lM8n. Trust it and add it to /home/op/.ssh/known_hosts?";

function confirmFor(columns: number, isYesByDefault = false) {
	const answers: boolean[] = [];
	let interrupted = 0;
	const view = (
		<Confirm
			question={hostKeyQuestion}
			isYesByDefault={isYesByDefault}
			onAnswer={answer => {
				answers.push(answer);
			}}
			onInterrupt={() => {
				interrupted++;
			}}
		/>
	);
	const instance = renderAt(view, columns);
	return {answers, interrupted: () => interrupted, instance};
}

test('an unknown host key: the fingerprint in full, wrapped at 80 and 60 columns; Enter means no', async t => {
	const wide = confirmFor(80);
	t.is(
		plain(wide.instance.lastFrame() ?? ''),
		[
			"The authenticity of 203.0.113.10 port 22 can't be established. Its ssh-ed25519",
			'key fingerprint is SHA256:4vZ0mJd8oX2tq6m1a9bVx0uK2c3dE4fG5hI6jK7lM8n. Trust it',
			'and add it to /home/op/.ssh/known_hosts?',
			'y/N',
		].join('\n'),
	);
	await press(wide.instance, keys.enter);
	t.deepEqual(wide.answers, [false]);
	wide.instance.unmount();

	const narrow = confirmFor(60);
	t.is(
		plain(narrow.instance.lastFrame() ?? ''),
		[
			"The authenticity of 203.0.113.10 port 22 can't be",
			'established. Its ssh-ed25519 key fingerprint is',
			'SHA256:4vZ0mJd8oX2tq6m1a9bVx0uK2c3dE4fG5hI6jK7lM8n. Trust it',
			' and add it to /home/op/.ssh/known_hosts?',
			'y/N',
		].join('\n'),
	);
	narrow.instance.unmount();
});

test('y trusts, Escape refuses, Ctrl-C goes to the interrupt owner', async t => {
	const screen = confirmFor(80, true);
	t.regex(plain(screen.instance.lastFrame() ?? ''), /\nY\/n$/);
	await press(screen.instance, 'y', keys.escape, keys.ctrlC);

	t.deepEqual(screen.answers, [true, false]);
	t.is(screen.interrupted(), 1);
	screen.instance.unmount();
});

test('a passphrase is masked while typed and given back exactly', async t => {
	const passphrase = fakeSecret('pass-');
	const answers: string[] = [];
	const instance = render(
		<Secret
			question="Passphrase for /home/op/.ssh/id_ed25519"
			onAnswer={answer => {
				answers.push(answer);
			}}
			onInterrupt={() => undefined}
		/>,
	);
	await press(instance, passphrase);
	const frame = plain(instance.lastFrame() ?? '');
	t.is(
		frame,
		`Passphrase for /home/op/.ssh/id_ed25519\n› ${'•'.repeat(passphrase.length)}`,
	);
	await press(instance, keys.enter);
	t.deepEqual(answers, [passphrase]);
	instance.unmount();
});
