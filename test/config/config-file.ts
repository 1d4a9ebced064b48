import {join} from 'node:path';
import test from 'ava';
import {loadInput} from '../helpers/load-input.js';
import {freshHome, usageError, write} from './_helpers.js';

const load = (text: string, name = 'c.yaml') => {
	const home = freshHome();
	const configFile = write(home, name, `${text}`);
	return {configFile, home, run: () => loadInput({configFile, home})};
};

test('an unknown top-level key suggests the closest known one', t => {
	const {configFile, run} = load('conection:\n  host: a.example\n');
	t.is(
		usageError(t, run).split('\n')[1],
		`  • conection is not a known setting, in config file ${configFile}; did you mean connection?`,
	);
});

test('an unknown nested key suggests the closest key of its group', t => {
	const {configFile, run} = load('connection:\n  prot: 22\n');
	t.true(
		usageError(t, run).includes(
			`connection.prot is not a known setting, in config file ${configFile}; did you mean connection.port?`,
		),
	);
});

test('a known setting at the wrong level points at where it belongs', t => {
	const text = usageError(
		t,
		load('host: a.example\nacme-email: a@example.com\n').run,
	);
	t.true(text.includes('host is not a known setting'), `${text}`);
	t.true(text.includes('did you mean connection.host?'), `${text}`);
	t.true(text.includes('acme-email is not a known setting'), `${text}`);
	t.true(text.includes('did you mean acmeEmail?'), `${text}`);
});

test('an environment variable name pasted into the file points at its key', t => {
	const text = usageError(t, load('CODEXK8S_SSH_PORT: 22\n').run);
	t.true(text.includes('CODEXK8S_SSH_PORT is not a known setting'), `${text}`);
	t.true(text.includes('did you mean connection.port?'), `${text}`);
});

test('an unknown key with nothing close lists the keys of its group', t => {
	const {configFile, run} = load('proxy:\n  socks: socks5://p\n');
	t.true(
		usageError(t, run).includes(
			`proxy.socks is not a known setting, in config file ${configFile}; remove it (known here: http, https, noProxy)`,
		),
	);
});

test('only secrets take a …File reference', t => {
	const text = usageError(t, load('connection:\n  hostFile: ./host.txt\n').run);
	t.true(
		text.includes('connection.hostFile is not a known setting, in config file'),
		`${text}`,
	);
	t.true(
		text.includes(
			'only secrets are read from a file; write connection.host itself',
		),
		`${text}`,
	);
});

test('invalid YAML names the file and the line, without quoting it', t => {
	const {configFile, run} = load(
		'github:\n  repo: acme/x\n  labels: [a\nplatform:\n  ownerEmail: SECRET-LOOKING-LINE\n',
	);
	const text = usageError(t, run);
	t.true(
		text.startsWith(`config file ${configFile} is not valid YAML: `),
		`${text}`,
	);
	t.regex(text, /at line \d+, column \d+/v);
	t.false(text.includes('SECRET-LOOKING-LINE'));
	t.false(text.includes('labels'));
	t.true(text.includes('Indent with spaces'));
});

test('tabs as indentation are invalid YAML', t => {
	const text = usageError(t, load('connection:\n\thost: a\n').run);
	t.true(text.includes('is not valid YAML'), `${text}`);
});

test('a file that is a list or a single value is refused', t => {
	t.true(
		usageError(t, load('- host: a\n').run).includes(
			'must be a mapping of settings',
		),
	);
	t.true(
		usageError(t, load('- host: a\n').run).includes('but it holds a list'),
	);
	t.true(
		usageError(t, load('just text\n').run).includes(
			'but it holds a single value',
		),
	);
});

test('an empty file, or one with only comments, sets nothing', t => {
	for (const text of ['', '# nothing yet\n', '---\n']) {
		const {input, origins} = load(text).run();
		t.is(origins.size, 0);
		t.is(input.operator.user, 'codex');
	}
});

test('a key with no value counts as unset', t => {
	const {input, origins} = load(
		'connection:\n  host:\n  port: 2222\nmode:\nplatform:\n',
	).run();
	t.is(input.connection.host, undefined);
	t.is(input.mode, undefined);
	t.is(input.connection.port, 2222);
	t.deepEqual([...origins.keys()], ['connection.port']);
});

test('a missing config file is a usage error naming it', t => {
	const home = freshHome();
	const configFile = join(home, 'nope.yaml');
	t.is(
		usageError(t, () => loadInput({configFile, home})),
		`Cannot read config file ${configFile}: it does not exist\nCheck the path and its permissions.`,
	);
});

test('a folder given as the config file is a usage error', t => {
	const home = freshHome();
	t.true(
		usageError(t, () => loadInput({configFile: home, home})).includes(
			'it is a folder, not a file',
		),
	);
});

test('~ in the config file path is the given home', t => {
	const home = freshHome();
	write(home, 'cfg/c.yaml', 'mode: server\n');
	const {input, origins} = loadInput({configFile: '~/cfg/c.yaml', home});
	t.is(input.mode, 'server');
	t.is(origins.get('mode'), `config file ${join(home, 'cfg/c.yaml')}`);
});

test('relative paths in the config file are taken from its folder; ~ is kept', t => {
	const {home, run} = load(
		'connection:\n  identity: keys/id_ed25519\n  knownHosts: ~/.ssh/kh\noperator:\n  key: /abs/op.pub\n',
		'conf/c.yaml',
	);
	const {input} = run();
	t.is(input.connection.identity, join(home, 'conf/keys/id_ed25519'));
	t.is(input.connection.knownHosts, '~/.ssh/kh');
	t.is(input.operator.key, '/abs/op.pub');
});

test('relative paths from flags and environment are left to the caller', t => {
	const {input} = loadInput({
		flags: {identity: 'keys/id'},
		env: {CODEXK8S_OPERATOR_KEY: 'op.pub'},
	});
	t.is(input.connection.identity, 'keys/id');
	t.is(input.operator.key, 'op.pub');
});
