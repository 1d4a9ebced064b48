import test from 'ava';
import {stringify} from 'yaml';
import {configKey, fields, type Field} from '../../source/config/fields.js';
import {loadInput, type LoadOptions} from '../helpers/load-input.js';
import {getPath, setPath, type Tree} from '../../source/config/tree.js';
import {parsed, sample, freshHome, usageError, write} from './_helpers.js';

const camel = (flag: string) =>
	flag.replaceAll(/-(\w)/gv, (_, letter: string) => letter.toUpperCase());

const plain = fields.filter(field => !field.secret);

/** Options that give `field` from saved answers, file, env and flags, each with its own value. */
function allLayers(field: Field, home: string) {
	const saved: Tree = {};
	setPath(saved, field.path, parsed(field, 0));
	const file: Tree = {};
	setPath(file, field.path, parsed(field, 1));
	return {
		saved,
		configFile: write(home, 'config.yaml', stringify(file)),
		env: {[field.env]: sample(field, 2)},
		flags: field.flag ? {[camel(field.flag)]: sample(field, 3)} : {},
	};
}

for (const field of plain) {
	const order = field.flag ? 'flags > env' : 'env';
	test(`${field.path}: ${order} > config file > saved answers > default`, t => {
		const home = freshHome();
		const all = allLayers(field, home);
		const value = (options: LoadOptions) => {
			const {input, origins} = loadInput({...options, home});
			return [getPath(input, field.path), origins.get(field.path)];
		};

		// Choice and boolean fields have two values, so neighbouring layers always differ.
		t.deepEqual(
			value(all),
			field.flag
				? [parsed(field, 3), `command line (--${field.flag})`]
				: [parsed(field, 2), `environment (${field.env})`],
		);
		t.deepEqual(value({...all, flags: {}}), [
			parsed(field, 2),
			`environment (${field.env})`,
		]);
		t.deepEqual(value({...all, flags: {}, env: {}}), [
			parsed(field, 1),
			`config file ${all.configFile}`,
		]);
		t.deepEqual(value({saved: all.saved}), [parsed(field, 0), 'saved answers']);
		t.deepEqual(value({}), [field.defaultValue, undefined]);
	});
}

test('every setting can be given by its environment variable, and says so', t => {
	const home = freshHome();
	const env = Object.fromEntries(
		fields.map(field => [field.env, sample(field)]),
	);
	const {input, origins} = loadInput({env, home});
	for (const field of fields) {
		t.deepEqual(getPath(input, field.path), parsed(field), `${field.path}`);
		t.is(
			origins.get(field.path),
			`environment (${field.env})`,
			`${field.path}`,
		);
	}
});

test('every setting can be given in the config file, secrets as a file reference', t => {
	const home = freshHome();
	const tree: Tree = {};
	for (const field of fields) {
		const value = field.secret
			? write(home, `secrets/${field.path}`, `${sample(field)}\n`)
			: parsed(field);
		setPath(tree, configKey(field), value);
	}

	const configFile = write(home, 'all.yaml', stringify(tree));
	const {input, origins} = loadInput({configFile, home});
	for (const field of fields) {
		t.deepEqual(getPath(input, field.path), parsed(field), `${field.path}`);
		const detail = field.secret ? ` (${configKey(field)})` : '';
		t.is(
			origins.get(field.path),
			`config file ${configFile}${detail}`,
			`${field.path}`,
		);
	}
});

test('with no answers every setting has its default, and no origin', t => {
	const {input, origins} = loadInput({home: freshHome()});
	for (const field of fields) {
		t.deepEqual(
			getPath(input, field.path),
			field.defaultValue,
			`${field.path}`,
		);
	}

	t.is(origins.size, 0);
	t.is(input.connection.knownHosts, '~/.ssh/known_hosts');
	t.is(input.operator.user, 'codex');
	t.is(input.github.apiUrl, 'https://api.github.com');
	t.true(input.firewall);
	t.deepEqual(input.platform.allowedEmails, []);
	t.is(input.timeouts.rollout, 1800);
});

test('a layer that sets one field leaves the others to lower layers', t => {
	const home = freshHome();
	const configFile = write(
		home,
		'c.yaml',
		'connection: {host: file.example, user: admin}\n',
	);
	const {input, origins} = loadInput({
		configFile,
		home,
		env: {CODEXK8S_HOST: 'env.example'},
		saved: {connection: {host: 'saved.example', port: 2200}},
	});
	t.is(input.connection.host, 'env.example');
	t.is(input.connection.user, 'admin');
	t.is(input.connection.port, 2200);
	t.is(origins.get('connection.host'), 'environment (CODEXK8S_HOST)');
	t.is(origins.get('connection.user'), `config file ${configFile}`);
	t.is(origins.get('connection.port'), 'saved answers');
	t.false(origins.has('connection.identity'));
});

test('saved answers: unknown settings and secrets in them are ignored', t => {
	const {input, origins} = loadInput({
		home: freshHome(),
		saved: {
			connection: {host: 'saved.example', removedLongAgo: 1},
			github: {token: 'from-disk'},
			gone: {x: 1},
			mode: null,
		},
	});
	t.is(input.connection.host, 'saved.example');
	t.is(input.github.token, undefined);
	t.is(input.mode, undefined);
	t.deepEqual([...origins.keys()], ['connection.host']);
});

test('the token from standard input beats every other source of the token', t => {
	const home = freshHome();
	const {input, origins} = loadInput({
		home,
		env: {CODEXK8S_GITHUB_TOKEN: 'from-env'},
		stdinToken: '  from-stdin\n',
	});
	t.is(input.github.token, 'from-stdin');
	t.is(origins.get('github.token'), 'standard input (--token-stdin)');
});

for (const word of ['1', 'true', 'TRUE', 'yes', 'on', ' Yes ']) {
	test(`environment boolean "${word}" is true`, t => {
		const {input} = loadInput({env: {CODEXK8S_FIREWALL_ENABLED: word}});
		t.true(input.firewall);
	});
}

for (const word of ['0', 'false', 'False', 'no', 'off']) {
	test(`environment boolean "${word}" is false`, t => {
		const {input} = loadInput({env: {CODEXK8S_FIREWALL_ENABLED: word}});
		t.false(input.firewall);
	});
}

test('an empty environment variable counts as unset', t => {
	const {input, origins} = loadInput({
		env: {
			CODEXK8S_FIREWALL_ENABLED: '',
			CODEXK8S_HOST: '',
			CODEXK8S_GITHUB_TOKEN: '',
		},
	});
	t.true(input.firewall);
	t.is(input.connection.host, undefined);
	t.is(origins.size, 0);
});

test('environment lists are comma-separated, spaces and empty items dropped', t => {
	const {input} = loadInput({
		env: {
			CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS: ' a@example.com, ,b@example.com,, ',
		},
	});
	t.deepEqual(input.platform.allowedEmails, ['a@example.com', 'b@example.com']);
});

test('an environment boolean that is no boolean fails naming the variable', t => {
	const message = usageError(t, () =>
		loadInput({env: {CODEXK8S_FIREWALL_ENABLED: 'maybe'}}),
	);
	t.true(
		message.includes(
			'firewall must be true or false, got "maybe" from environment (CODEXK8S_FIREWALL_ENABLED); set it with CODEXK8S_FIREWALL_ENABLED or firewall in the config file',
		),
		`${message}`,
	);
});
