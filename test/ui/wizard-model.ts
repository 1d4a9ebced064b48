import test from 'ava';
import {
	answersTree,
	back,
	finalAnswers,
	keptQuestions,
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

test('server mode asks how many runners at least and at most; local mode keeps one and does not ask', t => {
	const questions = questionsFor(
		['preflight', 'host', 'runner'],
		new Map([
			['connection.host', 'command line (--host)'],
			['github.repo', 'command line (--repo)'],
			['github.token', 'environment (CODEXK8S_GITHUB_TOKEN)'],
		]),
	);
	const runnerQuestions = questions.filter(question =>
		question.path.startsWith('runner.'),
	);
	t.deepEqual(
		runnerQuestions.map(question => [
			question.path,
			question.serverOnly,
			question.optional,
		]),
		[
			['runner.min', true, true],
			['runner.max', true, true],
		],
	);
	let state = startWizard(questions);
	state = submit(submit(submit(state, ''), ''), '');
	state = submit(state, 'local');
	t.true(onReview(state), 'local mode: no runner bounds asked');
	state = submit(back(state), 'server');
	state = submit(submit(state, 'staging.example.com'), 'ops@example.com');
	t.is(state.questions[state.index]?.path, 'runner.min');
	state = submit(state, '1');
	t.is(state.questions[state.index]?.path, 'runner.max');
	state = submit(state, '');
	t.true(onReview(state));
	t.like(answersTree(state.answers), {runner: {min: 1}});
});

test('platform secrets the target’s cluster keeps are not asked, not handed on, and listed as kept', t => {
	const questions = questionsFor(['platform'], new Map());
	const keptOn = (host: string | undefined) => host === 'kept.example.net';
	let state = startWizard(questions, {}, answers =>
		keptOn(answers['connection.host']),
	);
	state = submit(state, 'new.example.net');
	const asked = (from: typeof state) => {
		let walking = from;
		const paths: string[] = [];
		while (!onReview(walking)) {
			const {path} = walking.questions[walking.index]!;
			paths.push(path);
			walking = submit(
				walking,
				{
					mode: 'local',
					'github.repo': 'acme/platform',
					'github.token': 'answer',
					'platform.ownerEmail': 'owner@example.com',
					'platform.oauthClientId': 'Iv1.abc',
					'platform.oauthClientSecret': 'answer',
					'platform.gitBotToken': 'answer',
				}[path] ?? '',
			);
			if (walking.error) {
				throw new Error(`${path}: ${walking.error}`);
			}
		}

		return {paths, state: walking};
	};

	const first = asked(state);
	t.true(first.paths.includes('platform.gitBotToken'));
	t.true(first.paths.includes('platform.openaiApiKey'));
	t.deepEqual(keptQuestions(first.state), []);

	// The same answers for a target whose cluster keeps the secrets: the record decides.
	let again = first.state;
	while (again.index > 0) {
		again = back(again);
	}

	again = submit(again, 'kept.example.net');
	const second = asked(again);
	t.deepEqual(
		second.paths.filter(path => path.startsWith('platform.')),
		['platform.ownerEmail', 'platform.oauthClientId'],
	);
	t.deepEqual(
		keptQuestions(second.state).map(question => question.path),
		[
			'platform.oauthClientSecret',
			'platform.gitBotToken',
			'platform.openaiApiKey',
		],
	);
	const handedOn = finalAnswers(second.state) as {
		platform: Record<string, unknown>;
	};
	t.deepEqual(Object.keys(handedOn.platform), ['ownerEmail', 'oauthClientId']);
});
