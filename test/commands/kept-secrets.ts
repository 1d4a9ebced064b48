import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {install} from '../../source/commands/install.js';
import {knownOf} from '../../source/commands/kept-secrets.js';
import {fingerprintStep} from '../../source/engine/fingerprint.js';
import {StateStore} from '../../source/engine/state.js';
import type {Step} from '../../source/engine/step.js';
import {UsageError} from '../../source/errors.js';
import {invocation} from '../helpers/invocation.js';
import {baseInput, memoryStep} from '../helpers/fake-steps.js';
import {fakeSecret} from '../helpers/secrets.js';

const key = 'root@203.0.113.10:22';
const flags = {
	host: '203.0.113.10',
	mode: 'local',
	yes: true,
	only: 'platform',
};

/** The platform's answers that are not secrets, and the GitHub token every run needs. */
const everyRun = () => ({
	CODEXK8S_GITHUB_REPO: 'acme/platform',
	CODEXK8S_GITHUB_TOKEN: fakeSecret('github_pat_'),
	CODEXK8S_BOOTSTRAP_OWNER_EMAIL: 'owner@example.com',
	CODEXK8S_GITHUB_OAUTH_CLIENT_ID: 'Iv1.abc',
});

const operatorSecrets = () => ({
	CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: fakeSecret('oauth_'),
	CODEXK8S_GIT_BOT_TOKEN: fakeSecret('github_pat_'),
	CODEXK8S_OPENAI_API_KEY: fakeSecret('sk-'),
});

/** Stands in for platform.secrets: its completion is what the record says. */
const registry = (cluster: Map<string, string>): Step[] => [
	{
		...memoryStep('platform.secrets', cluster, 'written'),
		phase: 'platform',
		inputs: input => input.platform.namespace,
	},
];

test('the first install needs the secrets only the operator knows; a re-run of the same target does not', async t => {
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const cluster = new Map<string, string>();
	const bare = invocation('install', flags, {stateDir, env: everyRun()});
	const refused = await t.throwsAsync(
		install(bare, {registry: registry(cluster)}),
		{instanceOf: UsageError},
	);
	t.is(
		refused.message,
		'Missing 3 answers: platform.oauthClientSecret, platform.gitBotToken, platform.openaiApiKey',
	);

	const first = invocation('install', flags, {
		stateDir,
		env: {...everyRun(), ...operatorSecrets()},
	});
	t.is(await install(first, {registry: registry(cluster)}), 0);
	t.true(cluster.has('platform.secrets'));

	// Omitted on the re-run: the cluster keeps them, and platform.secrets says so (or blocks).
	const again = invocation(
		'install',
		{...flags, json: true},
		{
			stateDir,
			env: everyRun(),
		},
	);
	t.is(await install(again, {registry: registry(cluster)}), 0);
	t.like(JSON.parse(again.stdoutText()), {ok: true, changes: 0});
});

test('the record counts only for the namespace it was written to, and is forgotten with the cluster', t => {
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const store = new StateStore({directory: stateDir});
	const steps = registry(new Map());
	const input = baseInput();
	t.deepEqual(knownOf(store, key, input, steps), {platformSecretsKept: false});
	store.stepCompleted(
		key,
		'platform.secrets',
		fingerprintStep(steps[0]!, input),
	);
	t.deepEqual(knownOf(store, key, input, steps), {platformSecretsKept: true});
	t.deepEqual(knownOf(store, undefined, input, steps), {
		platformSecretsKept: false,
	});
	t.deepEqual(
		knownOf(store, key, baseInput({platform: {namespace: 'elsewhere'}}), steps),
		{platformSecretsKept: false},
	);
	t.deepEqual(knownOf(store, 'root@198.51.100.7:22', input, steps), {
		platformSecretsKept: false,
	});
	store.forgetSteps(key, ['platform.secrets']);
	t.deepEqual(knownOf(store, key, input, steps), {platformSecretsKept: false});
});
