import {Buffer} from 'node:buffer';
import {execFileSync} from 'node:child_process';
import {
	mkdtempSync,
	readFileSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import test from 'ava';
import {
	appendKnownHost,
	fingerprint,
	hostsMatch,
	keyTypeOf,
	lookupHost,
	parseKnownHosts,
	readKnownHosts,
	sameKey,
} from '../../source/remote/known-hosts.js';
import {makeKeyPair} from '../helpers/keys.js';

const blobOf = (publicPath: string) =>
	Buffer.from(readFileSync(publicPath, 'utf8').split(' ')[1]!, 'base64');

function keygenFingerprint(publicPath: string): string {
	return execFileSync('ssh-keygen', ['-lf', publicPath], {
		encoding: 'utf8',
	}).split(' ')[1]!;
}

test('fingerprints equal ssh-keygen -lf for ed25519, rsa and ecdsa keys', t => {
	for (const type of ['ed25519', 'rsa'] as const) {
		const key = makeKeyPair({type});
		t.is(
			fingerprint(blobOf(key.publicPath)),
			keygenFingerprint(key.publicPath),
		);
		t.is(
			keyTypeOf(blobOf(key.publicPath)),
			type === 'rsa' ? 'ssh-rsa' : 'ssh-ed25519',
		);
	}

	const directory = mkdtempSync(path.join(tmpdir(), 'ck8s-kh-'));
	const ecdsa = path.join(directory, 'id');
	execFileSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-N', '', '-f', ecdsa]);
	t.is(fingerprint(blobOf(`${ecdsa}.pub`)), keygenFingerprint(`${ecdsa}.pub`));
	t.is(keyTypeOf(blobOf(`${ecdsa}.pub`)), 'ecdsa-sha2-nistp256');
	rmSync(directory, {recursive: true});
});

test('hashed entries made by real ssh-keygen -H are found, for port 22 and other ports', t => {
	const key = makeKeyPair();
	const other = makeKeyPair();
	const line = readFileSync(key.publicPath, 'utf8')
		.split(' ')
		.slice(0, 2)
		.join(' ');
	const otherLine = readFileSync(other.publicPath, 'utf8')
		.split(' ')
		.slice(0, 2)
		.join(' ');
	const directory = mkdtempSync(path.join(tmpdir(), 'ck8s-kh-'));
	const file = path.join(directory, 'known_hosts');
	writeFileSync(
		file,
		[
			`web.example.com ${line}`,
			`[web.example.com]:2222 ${otherLine}`,
			`10.0.0.5,db.internal ${line}`,
		].join('\n') + '\n',
	);
	execFileSync('ssh-keygen', ['-q', '-H', '-f', file], {stdio: 'ignore'});
	const text = readFileSync(file, 'utf8');
	t.false(text.includes('example.com'), 'ssh-keygen really hashed the names');
	const entries = parseKnownHosts(text);
	t.is(entries.length, 4, 'the comma list becomes one hashed line per name');
	t.true(entries.every(entry => entry.hosts.startsWith('|1|')));

	const plain = lookupHost(entries, 'web.example.com', 22);
	t.is(plain.known.length, 1);
	t.true(sameKey(plain.known[0]!.key, blobOf(key.publicPath)));
	const port = lookupHost(entries, 'WEB.example.com', 2222);
	t.is(port.known.length, 1);
	t.true(sameKey(port.known[0]!.key, blobOf(other.publicPath)));
	t.is(lookupHost(entries, 'db.internal', 22).known.length, 1);
	t.is(lookupHost(entries, '10.0.0.5', 22).known.length, 1);
	t.is(lookupHost(entries, '10.0.0.5', 2222).known.length, 0);
	t.is(lookupHost(entries, 'web.example.org', 22).known.length, 0);
	rmSync(directory, {recursive: true});
});

test('plain patterns: comma lists, [host]:port, wildcards, negation, markers and junk', t => {
	const key = makeKeyPair();
	const [type, base64] = readFileSync(key.publicPath, 'utf8').split(' ');
	const entries = parseKnownHosts(
		[
			'# a comment',
			'',
			`a.example,b.example ${type} ${base64}`,
			`[c.example]:2200 ${type} ${base64} comment here`,
			`*.lab,!secret.lab ${type} ${base64}`,
			`@revoked * ${type} ${base64}`,
			`@cert-authority *.example ${type} ${base64}`,
			`@unknown-marker x ${type} ${base64}`,
			'broken line',
			`d.example ${type} !!notbase64`,
		].join('\n'),
	);
	t.is(entries.length, 5);
	t.true(hostsMatch('a.example,b.example', 'b.example'));
	t.false(hostsMatch('a.example,b.example', 'c.example'));
	t.true(hostsMatch('[c.example]:2200', '[c.example]:2200'));
	t.false(hostsMatch('[c.example]:2200', 'c.example'));
	t.true(hostsMatch('*.lab,!secret.lab', 'x.lab'));
	t.false(hostsMatch('*.lab,!secret.lab', 'secret.lab'));
	t.true(hostsMatch('10.0.0.?', '10.0.0.7'));

	const found = lookupHost(entries, 'x.example', 22);
	t.is(found.known.length, 0, 'cert-authority lines are no host keys');
	t.is(found.revoked.length, 1);
	t.is(lookupHost(entries, 'c.example', 2200).known[0]!.line, 4);
});

test('appending creates ~/.ssh (0700) and known_hosts (0600), keeps existing lines, and reads back', async t => {
	const directory = mkdtempSync(path.join(tmpdir(), 'ck8s-kh-'));
	const file = path.join(directory, 'home', '.ssh', 'known_hosts');
	t.deepEqual(await readKnownHosts(file), []);
	const first = makeKeyPair();
	const second = makeKeyPair({type: 'rsa'});
	await appendKnownHost(file, 'Host.Example', 22, blobOf(first.publicPath));
	t.is(statSync(path.dirname(file)).mode & 0o777, 0o700);
	t.is(statSync(file).mode & 0o777, 0o600);
	// A file without a final newline must not get the next entry glued to its last line.
	writeFileSync(file, readFileSync(file, 'utf8').trimEnd());
	await appendKnownHost(file, '10.1.2.3', 2222, blobOf(second.publicPath));
	const text = readFileSync(file, 'utf8');
	t.regex(
		text,
		/^host\.example ssh-ed25519 \S+\n\[10\.1\.2\.3]:2222 ssh-rsa \S+\n$/,
	);
	const entries = await readKnownHosts(file);
	t.true(
		sameKey(
			lookupHost(entries, 'host.example', 22).known[0]!.key,
			blobOf(first.publicPath),
		),
	);
	t.true(
		sameKey(
			lookupHost(entries, '10.1.2.3', 2222).known[0]!.key,
			blobOf(second.publicPath),
		),
	);
	// OpenSSH agrees: ssh-keygen -F finds both entries.
	t.regex(
		execFileSync('ssh-keygen', ['-F', '[10.1.2.3]:2222', '-f', file], {
			encoding: 'utf8',
		}),
		/ssh-rsa/,
	);
	t.regex(
		execFileSync('ssh-keygen', ['-F', 'host.example', '-f', file], {
			encoding: 'utf8',
		}),
		/ssh-ed25519/,
	);
	rmSync(directory, {recursive: true});
});
