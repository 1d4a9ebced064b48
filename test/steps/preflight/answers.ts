import test from 'ava';
import {answers} from '../../../steps/preflight/answers.js';
import {baseInput, fakeContext} from '../../helpers/fake-steps.js';
import {fakeSecret} from '../../helpers/secrets.js';

const input = baseInput({
	github: {repo: 'acme/platform', token: fakeSecret('github_pat_')},
	platform: {ownerEmail: 'owner@example.com', oauthClientId: 'Iv1.abc'},
});

test('the plan blocks a first platform install without the secrets only the operator knows', async t => {
	const finding = await answers.check(
		fakeContext({input, phases: ['preflight', 'platform']}),
	);
	t.like(finding, {
		kind: 'blocked',
		problem:
			'missing platform.oauthClientSecret, platform.gitBotToken, platform.openaiApiKey',
	});
});

test('once the record says the cluster keeps them, the plan does not ask for them', async t => {
	const finding = await answers.check(
		fakeContext({
			input,
			phases: ['preflight', 'platform'],
			known: {platformSecretsKept: true},
		}),
	);
	t.is(finding.kind, 'done');
});
