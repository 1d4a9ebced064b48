import {Buffer} from 'node:buffer';
import {readFileSync} from 'node:fs';
import test from 'ava';
import {UsageError, UserError} from '../../source/errors.js';
import {
	decideHostKey,
	type HostKeyFacts,
	hostKeyAlgorithms,
	removeCommand,
} from '../../source/remote/host-key.js';
import {fingerprint, parseKnownHosts} from '../../source/remote/known-hosts.js';
import {makeKeyPair} from '../helpers/keys.js';

const line = (publicPath: string) =>
	readFileSync(publicPath, 'utf8').split(' ').slice(0, 2).join(' ');
const blob = (publicPath: string) =>
	Buffer.from(line(publicPath).split(' ')[1]!, 'base64');

const current = makeKeyPair();
const old = makeKeyPair();
const key = blob(current.publicPath);

function facts(
	overrides: Partial<HostKeyFacts> & {knownText?: string},
): HostKeyFacts {
	const entries = parseKnownHosts(overrides.knownText ?? '');
	return {
		host: '10.0.0.9',
		port: 22,
		key,
		known: {
			known: entries.filter(entry => !entry.marker),
			revoked: entries.filter(entry => entry.marker === 'revoked'),
		},
		knownHostsPath: '/home/op/.ssh/known_hosts',
		interactive: false,
		...overrides,
	};
}

test('a known, matching key is trusted', t => {
	t.deepEqual(
		decideHostKey(facts({knownText: `10.0.0.9 ${line(current.publicPath)}`})),
		{kind: 'trusted'},
	);
});

test('a changed key stops with both fingerprints and the exact ssh-keygen -R command', t => {
	const decision = decideHostKey(
		facts({
			port: 2222,
			knownText: `[10.0.0.9]:2222 ${line(old.publicPath)}`,
			interactive: true,
		}),
		'/home/op/.ssh/known_hosts',
	);
	t.is(decision.kind, 'refuse');
	const {error} = decision as {error: UserError};
	t.true(error instanceof UserError && !(error instanceof UsageError));
	t.true(error.message.includes('CHANGED'));
	t.true(error.message.includes(fingerprint(key)));
	t.true(error.message.includes(fingerprint(blob(old.publicPath))));
	t.true(error.hint!.includes("ssh-keygen -R '[10.0.0.9]:2222'"));
	t.false(error.hint!.includes(' -f '), 'the default file needs no -f');
});

test('the fix command names a non-default file and uses the bare host on port 22', t => {
	t.is(
		removeCommand('10.0.0.9', 22, '/tmp/kh', '/home/op/.ssh/known_hosts'),
		"ssh-keygen -R 10.0.0.9 -f '/tmp/kh'",
	);
	t.is(removeCommand('h', 2222, '/d', '/d'), "ssh-keygen -R '[h]:2222'");
});

test('a revoked key is refused even when also listed as known', t => {
	const decision = decideHostKey(
		facts({
			knownText: `10.0.0.9 ${line(current.publicPath)}\n@revoked * ${line(current.publicPath)}`,
		}),
	);
	t.is(decision.kind, 'refuse');
	t.regex((decision as {error: Error}).error.message, /@revoked/);
});

test('unknown host: a matching fingerprint records it, a different one refuses', t => {
	t.deepEqual(decideHostKey(facts({expected: fingerprint(key)})), {
		kind: 'record',
	});
	t.deepEqual(decideHostKey(facts({expected: `${fingerprint(key)}=`})), {
		kind: 'record',
	});
	const refused = decideHostKey(
		facts({expected: fingerprint(blob(old.publicPath))}),
	);
	t.is(refused.kind, 'refuse');
	t.is((refused as {error: UserError}).error.exitCode, 1);
});

test('unknown host: interactive asks with the fingerprint; non-interactive is a usage error naming the flag', t => {
	const ask = decideHostKey(facts({interactive: true}));
	t.is(ask.kind, 'ask');
	t.true((ask as {question: string}).question.includes(fingerprint(key)));
	const refused = decideHostKey(facts({}));
	const {error} = refused as {error: UserError};
	t.true(error instanceof UsageError);
	t.is(error.exitCode, 2);
	t.true(error.hint!.includes('--host-key-fingerprint'));
	t.true(error.hint!.includes('CODEXK8S_HOST_KEY_FINGERPRINT'));
	t.true(
		error.hint!.includes('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub'),
	);
});

test('host key algorithms put the known key types first', t => {
	const rsa = makeKeyPair({type: 'rsa'});
	const entries = parseKnownHosts(`h ${line(rsa.publicPath)}`);
	const algorithms = hostKeyAlgorithms({known: entries, revoked: []});
	t.deepEqual(algorithms.slice(0, 3), [
		'rsa-sha2-512',
		'rsa-sha2-256',
		'ssh-rsa',
	]);
	t.is(algorithms.length, new Set(algorithms).size);
	t.is(hostKeyAlgorithms({known: [], revoked: []})[0], 'ssh-ed25519');
});
