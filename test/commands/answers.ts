import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {wizardStart} from '../../source/commands/answers.js';
import {readLayers} from '../../source/config/load.js';
import {StateStore} from '../../source/engine/state.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';

const home = mkdtempSync(join(tmpdir(), 'ck8s-home-'));
const given = (flags: Record<string, unknown> = {}) =>
	readLayers({flags, env: {}, home});

/** Two targets; the one in `later` had the latest run. */
function storeWithTwoTargets(): StateStore {
	const store = new StateStore({
		directory: mkdtempSync(join(tmpdir(), 'ck8s-state-')),
	});
	store.saveAnswers('root@198.51.100.7:2222', {
		connection: {host: '198.51.100.7', port: 2222},
		mode: 'server',
		domain: 'old.example.com',
	});
	store.startRun('root@198.51.100.7:2222', 'install', {}, new Date(1000));
	store.saveAnswers('ops@203.0.113.10:22', {
		connection: {host: '203.0.113.10', user: 'ops'},
		mode: 'local',
		github: {repo: 'acme/platform'},
	});
	store.startRun('ops@203.0.113.10:22', 'install', {}, new Date(2000));
	return store;
}

test('without --host, the wizard starts from the answers saved for the target of the latest run', t => {
	const start = wizardStart(storeWithTwoTargets(), given());
	t.is(start.input.connection.host, '203.0.113.10');
	t.is(start.input.connection.user, 'ops');
	t.is(start.input.mode, 'local');
	t.is(start.input.github.repo, 'acme/platform');
	t.is(start.input.domain, undefined, 'nothing of the other target');
	t.is(start.origins.get('connection.host'), 'saved answers');
	// Saved answers are asked again, pre-filled: the operator keeps or changes them.
	t.deepEqual(
		questionsFor(['host'], start.origins)
			.map(question => question.path)
			.slice(0, 3),
		['connection.host', 'connection.port', 'connection.user'],
	);
});

test('what was given stays on top of the saved answers', t => {
	const start = wizardStart(
		storeWithTwoTargets(),
		given({mode: 'server', repo: 'acme/other'}),
	);
	t.is(start.input.connection.host, '203.0.113.10');
	t.is(start.input.mode, 'server');
	t.is(start.input.github.repo, 'acme/other');
	t.is(start.origins.get('mode'), 'command line (--mode)');
});

test('with no run yet, the wizard starts empty', t => {
	const store = new StateStore({
		directory: mkdtempSync(join(tmpdir(), 'ck8s-state-')),
	});
	t.is(store.lastTarget(), undefined);
	t.is(wizardStart(store, given()).input.connection.host, undefined);
});
