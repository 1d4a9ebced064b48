import {spawnSync} from 'node:child_process';
import test from 'ava';
import {parse as parseYaml} from 'yaml';
import {
	aptString,
	nftPort,
	nftPortRange,
	shellWord,
	sshdWord,
	sudoersUser,
	systemdPath,
	systemdSetting,
	yamlString,
} from '../../source/encode/index.js';

// Hostile text of every kind a destination could misread; NUL is not in it (no format carries it).
const hostile = [
	`x";touch /tmp/m;"`,
	"x';touch /tmp/m;'",
	'$(touch /tmp/m)',
	'`touch /tmp/m`',
	'a\nb\r\tc',
	'# not a comment: [flow], {map}, &anchor *alias !tag %directive @ |',
	'zürich \u2028 \u0085 \u007F',
	'true',
	'-',
	'',
];

test('shellWord: bash reads every hostile value back byte-exact and runs none of it', t => {
	for (const value of hostile) {
		const result = spawnSync('bash', ['-c', `printf %s ${shellWord(value)}`], {
			encoding: 'utf8',
		});
		t.is(result.stdout, value);
	}

	t.throws(() => shellWord('a\0b'), {message: /NUL/});
});

test('yamlString: a YAML parser reads every hostile value back as the same string', t => {
	for (const value of hostile) {
		t.deepEqual(parseYaml(`key: ${yamlString(value)}\n`), {key: value});
		t.deepEqual(parseYaml(`list: [${yamlString(value)}]\n`), {list: [value]});
	}

	// Plain names stay plain, so workflows written before stay byte-identical.
	t.is(yamlString('codex-k8s-ai-staging'), 'codex-k8s-ai-staging');
	t.is(yamlString('release/1.2'), 'release/1.2');
	t.is(yamlString('yes'), '"yes"');
});

test('aptString: a quote, a backslash or a line break is refused, never written', t => {
	t.is(aptString('http://10.0.0.1:3128/'), '"http://10.0.0.1:3128/"');
	t.is(aptString('http://u%22:p%3B@proxy/'), '"http://u%22:p%3B@proxy/"');
	for (const value of [
		`http://x/";APT::Update::Pre-Invoke {"touch /tmp/m";};//`,
		'http://x/\\',
		'http://x/\nAPT::Update::Pre-Invoke {"touch /tmp/m";};',
		'http://x/\0',
	]) {
		t.throws(() => aptString(value), {
			message: /apt\.conf string cannot carry/,
		});
	}
});

test('sshd, systemd, nft and sudoers encoders take only what their format reads as one value', t => {
	t.is(sshdWord('prohibit-password'), 'prohibit-password');
	for (const value of ['a b', 'a"b', 'a#b', '', 'a\nPermitRootLogin yes']) {
		t.throws(() => sshdWord(value), {message: /sshd_config word/});
	}

	t.is(systemdPath('/etc/codex/rules.nft'), '/etc/codex/rules.nft');
	for (const value of [
		'relative',
		'/a b',
		'/a$b',
		'/a%b',
		'/a\nExecStart=/bin/sh',
	]) {
		t.throws(() => systemdPath(value), {message: /systemd unit path/});
	}

	t.is(systemdSetting('*-*-* 04:17:00 UTC'), '*-*-* 04:17:00 UTC');
	for (const value of [
		'',
		' daily',
		'daily ',
		'%h',
		String.raw`a\b`,
		'a\nExecStart=/bin/sh',
	]) {
		t.throws(() => systemdSetting(value), {message: /systemd setting/});
	}

	t.is(nftPort(2222), '2222');
	for (const value of [0, 65_536, 22.5, Number.NaN]) {
		t.throws(() => nftPort(value), {message: /nft rule/});
	}

	t.is(nftPortRange('8080'), '8080');
	t.is(nftPortRange('6000-6007'), '6000-6007');
	for (const value of [...hostile, '9-3', '0-5', '80-70000', '80 , 443']) {
		t.throws(() => nftPortRange(value), {message: /nft rule/});
	}

	t.is(sudoersUser('codex'), 'codex');
	for (const value of ['ALL', 'a,b', 'a b', '%sudo', 'a\nALL ALL=(ALL) ALL']) {
		t.throws(() => sudoersUser(value), {message: /sudoers line/});
	}
});
