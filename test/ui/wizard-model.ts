import test from 'ava';
import {
	answersTree,
	back,
	onReview,
	startWizard,
	submit,
} from '../../source/ui/wizard/model.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';

const hostOnly = questionsFor(['preflight', 'host'], new Map());

test('questions follow the phases; what the operator gave elsewhere is not asked, saved answers are', t => {
	t.deepEqual(
		hostOnly.map(question => question.path),
		[
			'connection.host',
			'connection.port',
			'connection.user',
			'connection.identity',
			'mode',
			'domain',
			'acmeEmail',
		],
	);
	const withGitHub = questionsFor(
		['preflight', 'host', 'github'],
		new Map([
			['connection.host', 'command line (--host)'],
			['mode', 'saved answers'],
		]),
	);
	t.deepEqual(
		withGitHub.map(question => [question.path, question.kind]),
		[
			['connection.port', 'text'],
			['connection.user', 'text'],
			['connection.identity', 'key'],
			['mode', 'choice'],
			['domain', 'text'],
			['acmeEmail', 'text'],
			['github.repo', 'text'],
			['github.token', 'secret'],
		],
	);
});

test('answers are validated by the input schema; optional ones can be skipped; server-only questions follow the mode', t => {
	let state = startWizard(hostOnly);
	state = submit(state, '');
	t.is(state.error, 'an answer is needed here');
	state = submit(state, '203.0.113.10');
	t.is(state.index, 1);
	state = submit(state, 'seventy');
	// The command line's words, not the validation library's ("expected number, received NaN").
	t.is(state.error, 'must be a whole number from 1 to 65535');
	state = submit(state, '2222');
	state = submit(state, '');
	state = submit(state, '');
	state = submit(state, 'local');
	t.true(onReview(state), 'domain and e-mail are skipped in local mode');
	state = back(state);
	t.is(state.questions[state.index]?.path, 'mode');
	state = submit(state, 'server');
	t.is(state.questions[state.index]?.path, 'domain');
	state = submit(state, 'not a domain!');
	t.truthy(state.error);
	state = submit(state, 'staging.example.com');
	state = submit(state, 'ops@example.com');
	t.true(onReview(state));
	t.deepEqual(answersTree(state.answers), {
		connection: {host: '203.0.113.10', port: 2222},
		mode: 'server',
		domain: 'staging.example.com',
		acmeEmail: 'ops@example.com',
	});
});

test('back stays on the first question; pre-filled answers come back', t => {
	const state = startWizard(hostOnly, {'connection.host': 'saved.example.net'});
	t.is(back(state).index, 0);
	t.is(state.answers['connection.host'], 'saved.example.net');
});
