import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {inputSchema} from '../../../source/config/schema.js';
import {noKeyFound} from '../../../source/remote/login-keys.js';
import {keyFiles} from '../../../steps/preflight/key-files.js';
import {knownHosts} from '../../../steps/preflight/known-hosts.js';
import {isAtLeast, nodeVersion} from '../../../steps/preflight/node-version.js';
import {fakeContext} from '../../helpers/fake-steps.js';
import {makeKeyPair} from '../../helpers/keys.js';

const withInput = (values: Record<string, unknown>) =>
	fakeContext({input: inputSchema.parse(values)});
const directory = () => mkdtempSync(join(tmpdir(), 'ck8s-pre-'));

test('Node.js version: 20.19 and newer pass, older ones are blocked with a fix', async t => {
	t.true(isAtLeast('v20.19.0', [20, 19, 0]));
	t.true(isAtLeast('22.1.0', [20, 19, 0]));
	t.false(isAtLeast('20.18.9', [20, 19, 0]));
	t.false(isAtLeast('18.20.0', [20, 19, 0]));
	const current = await nodeVersion.check(
		fakeContext({local: {nodeVersion: '20.20.2', home: '/'}}),
	);
	t.is(current.kind, 'done');
	const old = await nodeVersion.check(
		fakeContext({local: {nodeVersion: '18.19.0', home: '/'}}),
	);
	t.like(old, {
		kind: 'blocked',
		problem: 'Node.js 18.19.0 is too old; 20.19.0 or newer is needed',
	});
});

test('key files: a plain key and an encrypted key are accepted, the encrypted one noted', async t => {
	const plain = makeKeyPair();
	const finding = await keyFiles.check(
		withInput({
			connection: {identity: plain.path},
			operator: {key: plain.publicPath},
		}),
	);
	t.is(finding.kind, 'done');
	t.true(
		finding.kind === 'done' &&
			finding.note!.includes('operator key') &&
			!finding.note!.includes('encrypted'),
	);
	for (const format of ['openssh', 'pem'] as const) {
		const encrypted = makeKeyPair({
			passphrase: 'canary-pass',
			format,
			type: 'rsa',
		});
		// eslint-disable-next-line no-await-in-loop
		const result = await keyFiles.check(
			withInput({connection: {identity: encrypted.path}}),
		);
		t.true(
			result.kind === 'done' && result.note!.includes('encrypted'),
			`${format} key noted as encrypted`,
		);
	}
});

test('key files: missing, public-as-private, private-as-public and garbage are blocked', async t => {
	const pair = makeKeyPair();
	const garbage = join(directory(), 'notes.txt');
	writeFileSync(garbage, 'hello\n');
	const cases: Array<[Record<string, unknown>, RegExp]> = [
		[
			{connection: {identity: '/nonexistent/id'}},
			/cannot read the SSH key \/nonexistent\/id \(ENOENT\)/,
		],
		[{connection: {identity: pair.publicPath}}, /is not a private key/],
		[{operator: {key: pair.path}}, /is a private key/],
		[{operator: {key: garbage}}, /holds a line that is not a public key/],
	];
	for (const [values, problem] of cases) {
		// eslint-disable-next-line no-await-in-loop
		const finding = await keyFiles.check(withInput(values));
		t.is(finding.kind, 'blocked');
		t.regex(finding.kind === 'blocked' ? finding.problem : '', problem);
	}
});

test('known_hosts: existing file counted, missing file in a writable place is fine, a directory is blocked', async t => {
	const home = directory();
	const file = join(home, 'known_hosts');
	writeFileSync(
		file,
		'# comment\nhost1 ssh-ed25519 AAAA\nhost2 ssh-ed25519 AAAA\n',
	);
	const existing = await knownHosts.check(
		withInput({connection: {knownHosts: file}}),
	);
	t.like(existing, {kind: 'done', note: `${file} (2 entries)`});
	const missing = await knownHosts.check(
		withInput({
			connection: {knownHosts: join(home, 'new', '.ssh', 'known_hosts')},
		}),
	);
	t.is(missing.kind, 'done');
	t.regex(
		missing.kind === 'done' ? missing.note! : '',
		/created when the host key is trusted/,
	);
	const aDirectory = join(home, 'dir');
	mkdirSync(aDirectory);
	const blocked = await knownHosts.check(
		withInput({connection: {knownHosts: aDirectory}}),
	);
	t.like(blocked, {
		kind: 'blocked',
		problem: `cannot read ${aDirectory} (EISDIR)`,
	});
});

test('known_hosts: ~ is the operator home', async t => {
	const home = directory();
	mkdirSync(join(home, '.ssh'));
	writeFileSync(join(home, '.ssh', 'known_hosts'), 'h ssh-ed25519 AAAA\n');
	const finding = await knownHosts.check({
		...withInput({}),
		local: {nodeVersion: '20.20.2', home},
	});
	t.like(finding, {
		kind: 'done',
		note: `${join(home, '.ssh', 'known_hosts')} (1 entry)`,
	});
});

test('key files: with no key given, none in ssh-agent and none in ~/.ssh, the check is blocked and says how to make one', async t => {
	const home = directory();
	const keyless = await keyFiles.check(
		fakeContext({local: {nodeVersion: '20.20.2', home}}),
	);
	t.deepEqual(keyless, {kind: 'blocked', ...noKeyFound});
	mkdirSync(join(home, '.ssh'));
	const pair = makeKeyPair();
	writeFileSync(join(home, '.ssh', 'id_ed25519'), readFileSync(pair.path));
	const withKey = await keyFiles.check(
		fakeContext({local: {nodeVersion: '20.20.2', home}}),
	);
	t.is(withKey.kind, 'done');
});
