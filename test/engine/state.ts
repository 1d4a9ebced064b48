import {
	mkdtempSync,
	readdirSync,
	readFileSync,
	statSync,
	writeFileSync,
} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {UserError} from '../../source/errors.js';
import {
	migrate,
	readState,
	stateVersion,
	targetKey,
	withoutSecrets,
} from '../../source/engine/state-file.js';
import {StateStore} from '../../source/engine/state.js';

const temporaryDirectory = () => mkdtempSync(join(tmpdir(), 'ck8s-state-'));

test('answers, runs and step completions survive a reopen; secrets are never written', t => {
	const directory = temporaryDirectory();
	const key = targetKey({host: '203.0.113.10'});
	t.is(key, 'root@203.0.113.10:22');
	const store = new StateStore({directory});
	store.saveAnswers(key, {
		connection: {host: '203.0.113.10', sudoPassword: 'canary-sudo-123'},
		github: {repo: 'a/b', token: 'canary-token-456'},
	});
	const run = store.startRun(
		key,
		'install',
		{},
		new Date('2026-01-01T00:00:00Z'),
	);
	store.stepCompleted(key, 'host.packages', 'fp1');
	store.stepFailed(key, {stepId: 'host.ssh', message: 'reload failed'});
	store.finishRun(key, run, {outcome: 'failed', changes: 1});
	const reopened = new StateStore({directory});
	t.deepEqual(reopened.target(key).answers, {
		connection: {host: '203.0.113.10'},
		github: {repo: 'a/b'},
	});
	t.is(reopened.target(key).lastFailure?.stepId, 'host.ssh');
	t.deepEqual(reopened.completions(key), new Map([['host.packages', 'fp1']]));
	t.is(reopened.unfinished(key)?.outcome, 'failed');
	const text = readFileSync(reopened.file, 'utf8');
	t.false(text.includes('canary'), 'no secret in the state file');
	t.is(statSync(reopened.file).mode & 0o777, 0o600);
});

test('a successful run clears the last failure and is not offered for resume', t => {
	const store = new StateStore({directory: temporaryDirectory()});
	const key = 'root@h:22';
	const first = store.startRun(key, 'install');
	store.stepFailed(key, {stepId: 's', message: 'x'});
	store.finishRun(key, first, {outcome: 'interrupted'});
	t.is(store.unfinished(key)?.outcome, 'interrupted');
	t.deepEqual(store.keys(), [key]);
	const second = store.startRun(key, 'resume');
	store.finishRun(key, second, {outcome: 'ok', changes: 0});
	t.is(store.unfinished(key), undefined);
	t.is(store.target(key).lastFailure, undefined);
});

test('a dropped run (declined at the prompt) leaves the earlier unfinished run resumable', t => {
	const store = new StateStore({directory: temporaryDirectory()});
	const key = 'root@h:22';
	const first = store.startRun(key, 'install', {}, new Date(1000));
	store.finishRun(key, first, {outcome: 'interrupted'});
	const declined = store.startRun(key, 'resume', {}, new Date(2000));
	t.is(store.unfinished(key)?.outcome, 'running');
	store.dropRun(key, declined);
	t.is(store.unfinished(key)?.id, first);
	t.is(store.target(key).runs.length, 1);
});

test('migrations run in order up to the current version', t => {
	const migrated = migrate({version: stateVersion - 1, old: true}, [
		{
			from: stateVersion - 1,
			migrate: document => ({...document, targets: {}, old: undefined}),
		},
	]);
	t.deepEqual(migrated, {version: stateVersion, targets: {}, old: undefined});
	t.throws(() => migrate({version: stateVersion - 1}, []), {
		message: /no state migration/,
	});
});

test('a state file from a newer version is refused, not overwritten', t => {
	const directory = temporaryDirectory();
	const file = join(directory, 'state.json');
	writeFileSync(file, JSON.stringify({version: stateVersion + 1, targets: {}}));
	t.throws(() => new StateStore({directory}), {
		instanceOf: UserError,
		message: /newer codex-k8s-install/,
	});
	t.regex(
		readFileSync(file, 'utf8'),
		new RegExp(`"version":${stateVersion + 1}`),
	);
});

test('a corrupt state file is kept aside and a fresh one started', t => {
	const directory = temporaryDirectory();
	writeFileSync(join(directory, 'state.json'), '{not json');
	const store = new StateStore({directory});
	t.deepEqual(store.keys(), []);
	t.true(
		readdirSync(directory).some(name => name.startsWith('state.json.invalid-')),
	);
	const wrongShape = temporaryDirectory();
	writeFileSync(
		join(wrongShape, 'state.json'),
		JSON.stringify({version: stateVersion, targets: {x: {runs: 'nope'}}}),
	);
	t.deepEqual(new StateStore({directory: wrongShape}).keys(), []);
	t.true(
		readdirSync(wrongShape).some(name =>
			name.startsWith('state.json.invalid-'),
		),
	);
});

test('withoutSecrets drops every secret field and keeps the rest', t => {
	t.deepEqual(
		withoutSecrets({
			platform: {openaiApiKey: 'k', ownerEmail: 'a@b.c'},
			connection: {keyPassphrase: 'p', port: 22},
		}),
		{platform: {ownerEmail: 'a@b.c'}, connection: {port: 22}},
	);
});

test('the read-only view sees what the store wrote, and reads a missing or corrupt file as empty without touching it', t => {
	const directory = temporaryDirectory();
	const store = new StateStore({directory});
	store.saveAnswers('root@h:22', {mode: 'local'});
	store.stepCompleted('root@h:22', 'host.packages', 'fp');
	const view = readState(store.file);
	t.deepEqual(view.keys(), ['root@h:22']);
	t.deepEqual(view.target('root@h:22').answers, {mode: 'local'});
	t.deepEqual(
		view.completions('root@h:22'),
		new Map([['host.packages', 'fp']]),
	);
	t.deepEqual(readState(join(directory, 'missing.json')).keys(), []);
	const corrupt = join(directory, 'corrupt.json');
	writeFileSync(corrupt, '{oops');
	t.deepEqual(readState(corrupt).keys(), []);
	t.is(readFileSync(corrupt, 'utf8'), '{oops');
	t.deepEqual(
		readdirSync(directory).filter(name => name.includes('invalid')),
		[],
	);
});
