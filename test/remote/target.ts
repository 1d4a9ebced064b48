import {writeFileSync} from 'node:fs';
import path from 'node:path';
import test from 'ava';
import {UsageError} from '../../source/errors.js';
import {parseJump, resolveTarget} from '../../source/remote/target.js';
import {temporaryHome} from '../helpers/remote.js';

function withConfig(text: string) {
	const home = temporaryHome();
	writeFileSync(path.join(home.ssh, 'config'), text);
	return home;
}

test('defaults: port 22, user root, no keys, no config file needed', t => {
	const home = temporaryHome();
	t.deepEqual(resolveTarget({host: '203.0.113.7'}, {home: home.home}), {
		alias: '203.0.113.7',
		hostname: '203.0.113.7',
		port: 22,
		user: 'root',
		identityFiles: [],
		identitiesOnly: false,
	});
	home.dispose();
});

test('a Host alias with HostName, Port, User, several IdentityFiles and tokens; wildcards fill the rest', t => {
	const home = withConfig(`
Host staging
  HostName 10.1.2.3
  Port 2222
  User deploy
  IdentityFile ~/.ssh/staging_%h_%p_%r
  IdentityFile %d/keys/%u.key
  IdentitiesOnly yes

Host *
  User nobody
  IdentityFile ~/.ssh/fallback
`);
	const target = resolveTarget(
		{host: 'staging'},
		{home: home.home, localUser: 'alice'},
	);
	t.deepEqual(target, {
		alias: 'staging',
		hostname: '10.1.2.3',
		port: 2222,
		user: 'deploy',
		identityFiles: [
			path.join(home.home, '.ssh/staging_10.1.2.3_2222_deploy'),
			path.join(home.home, 'keys/alice.key'),
			path.join(home.home, '.ssh/fallback'),
		],
		identitiesOnly: true,
	});
	home.dispose();
});

test('flags win over the ssh config, and --identity comes first', t => {
	const home = withConfig(
		'Host web*\n  HostName %h.example.com\n  Port 2200\n  User deploy\n  IdentityFile ~/.ssh/web\n',
	);
	const target = resolveTarget(
		{host: 'web1', port: 22, user: 'root', identity: '~/my-key'},
		{home: home.home},
	);
	t.is(target.hostname, 'web1.example.com');
	t.is(target.port, 22);
	t.is(target.user, 'root');
	t.deepEqual(target.identityFiles, [
		path.join(home.home, 'my-key'),
		path.join(home.home, '.ssh/web'),
	]);
	home.dispose();
});

test('ProxyJump: user@host:port form, alias form resolved through the config, and chains', t => {
	const home = withConfig(`
Host bastion
  HostName 10.9.9.9
  User jumper
  Port 2022

Host inner
  HostName 10.0.0.2
  ProxyJump bastion

Host deep
  HostName 10.0.0.3
  ProxyJump admin@10.8.8.8:2200,bastion

Host direct
  HostName 10.0.0.4
  ProxyJump ops@[fd00::1]:22
`);
	const inner = resolveTarget(
		{host: 'inner'},
		{home: home.home, localUser: 'alice'},
	);
	t.like(inner.proxyJump, {
		alias: 'bastion',
		hostname: '10.9.9.9',
		port: 2022,
		user: 'jumper',
	});
	t.is(inner.proxyJump?.proxyJump, undefined);

	const deep = resolveTarget(
		{host: 'deep'},
		{home: home.home, localUser: 'alice'},
	);
	t.like(deep.proxyJump, {
		alias: 'bastion',
		hostname: '10.9.9.9',
		user: 'jumper',
	});
	t.like(deep.proxyJump?.proxyJump, {
		hostname: '10.8.8.8',
		port: 2200,
		user: 'admin',
	});

	const direct = resolveTarget(
		{host: 'direct'},
		{home: home.home, localUser: 'alice'},
	);
	t.like(direct.proxyJump, {hostname: 'fd00::1', port: 22, user: 'ops'});
	home.dispose();
});

test('a ProxyJump loop and bad values are usage errors', t => {
	const home = withConfig(
		'Host a\n  ProxyJump b\nHost b\n  ProxyJump a\nHost badport\n  Port 99999\n',
	);
	t.throws(() => resolveTarget({host: 'a'}, {home: home.home}), {
		instanceOf: UsageError,
		message: /loop/,
	});
	t.throws(() => resolveTarget({host: 'badport'}, {home: home.home}), {
		instanceOf: UsageError,
		message: /not a TCP port/,
	});
	t.throws(() => resolveTarget({}, {home: home.home}), {
		instanceOf: UsageError,
		message: /no target host/,
	});
	t.throws(() => parseJump('user@'), {instanceOf: UsageError});
	home.dispose();
});
