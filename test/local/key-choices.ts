import {execFileSync} from 'node:child_process';
import {copyFileSync, mkdirSync, mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {listKeyChoices} from '../../source/remote/key-choices.js';
import {makeKeyPair} from '../helpers/keys.js';
import {startAgent} from '../helpers/remote-guest.js';
import {fakeSecret} from '../helpers/secrets.js';

/** The fingerprint as ssh-keygen itself prints it. */
const fingerprintBySshKeygen = (publicPath: string) =>
	execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', publicPath], {
		encoding: 'utf8',
	}).split(' ')[1];

function homeWith(keys: Record<string, {path: string; publicPath: string}>) {
	const home = mkdtempSync(join(tmpdir(), 'ck8s-home-'));
	mkdirSync(join(home, '.ssh'), {mode: 0o700});
	for (const [name, key] of Object.entries(keys)) {
		copyFileSync(key.path, join(home, '.ssh', name));
		copyFileSync(key.publicPath, join(home, '.ssh', `${name}.pub`));
	}

	return home;
}

test('the agent’s keys first, then ~/.ssh key pairs it does not hold, with ssh-keygen’s fingerprints', async t => {
	const plain = makeKeyPair();
	const encrypted = makeKeyPair({type: 'rsa', passphrase: fakeSecret('pass-')});
	const home = homeWith({id_ed25519: plain, id_rsa: encrypted});
	// A lone public key and a file that is not a key are not choices.
	writeFileSync(join(home, '.ssh', 'lonely.pub'), 'ssh-ed25519 AAAA x\n');
	writeFileSync(join(home, '.ssh', 'config'), 'Host *\n');
	const agent = startAgent([plain.path]);
	t.teardown(() => {
		agent.stop();
	});

	const choices = await listKeyChoices({home, agentSocket: agent.socket});
	t.deepEqual(choices, [
		{
			source: 'agent',
			type: 'ssh-ed25519',
			fingerprint: fingerprintBySshKeygen(plain.publicPath),
			comment: 'test',
			encrypted: false,
		},
		{
			source: 'file',
			path: join(home, '.ssh', 'id_rsa'),
			type: 'ssh-rsa',
			fingerprint: fingerprintBySshKeygen(encrypted.publicPath),
			comment: 'test',
			encrypted: true,
		},
	]);
});

test('without an agent (or with a dead socket) the files alone; no ~/.ssh is no choice', async t => {
	const plain = makeKeyPair();
	const home = homeWith({id_ed25519: plain});
	const choices = await listKeyChoices({
		home,
		agentSocket: join(home, 'no-agent.sock'),
	});
	t.deepEqual(
		choices.map(choice => [choice.source, choice.path]),
		[['file', join(home, '.ssh', 'id_ed25519')]],
	);
	t.deepEqual(
		await listKeyChoices({home: mkdtempSync(join(tmpdir(), 'ck8s-empty-'))}),
		[],
	);
});
