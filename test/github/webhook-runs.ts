/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-call, unicorn/no-await-expression-member */
// Parsed YAML and ava contexts are loosely typed on purpose here; assertions check their shape.
import test from 'ava';
import {
	applyWebhook,
	pingWebhook,
	planWebhook,
	webhookUrl,
} from '../../source/github/webhook.js';
import {dispatchAndFollow, scaleSetRunners} from '../../source/github/runs.js';
import {workflowPath} from '../../source/github/workflow.js';
import {webhookStep} from '../../steps/github/webhook.js';
import {standInClient} from '../helpers/github/client.js';
import {startGitHubStandIn} from '../helpers/github/server.js';

async function setUp(t: any) {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	return {
		standIn,
		...standInClient(standIn, undefined, {
			mode: 'server',
			domain: 'staging.example.com',
		}),
	};
}

test('webhook: created with secret, ping checked, re-run makes no write, old URL reported', async t => {
	const {standIn, gh} = await setUp(t);
	const url = webhookUrl('staging.example.com');
	standIn.repo.hooks.push({
		id: 7,
		active: true,
		events: ['push'],
		config: {
			url: 'https://old.example.com/api/v1/webhooks/github',
			content_type: 'json',
			insecure_ssl: '0',
		},
		createdAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
	});
	const plan = await planWebhook(gh, url, false);
	t.is(plan.action, 'create');
	t.deepEqual(plan.stale, [
		{id: 7, url: 'https://old.example.com/api/v1/webhooks/github'},
	]);
	const id = await applyWebhook(gh, plan, {url, secret: 'whsec-test-0000'});
	const hook = standIn.repo.hooks.find(item => item.id === id)!;
	t.is(hook.config.secret, 'whsec-test-0000');
	t.is(hook.config.content_type, 'json');
	t.deepEqual(await pingWebhook(gh, id, {delayMs: 10}), {
		ok: true,
		statusCode: 200,
		status: 'OK',
	});
	const writes = standIn.writes().length;
	t.is((await planWebhook(gh, url, false)).action, 'none');
	t.is(standIn.writes().length, writes);
	t.deepEqual(standIn.violations, []);
});

test('webhook: a failed ping delivery is reported as failed', async t => {
	const {standIn, gh} = await setUp(t);
	standIn.repo.pingStatus = 502;
	const url = webhookUrl('staging.example.com');
	const id = await applyWebhook(gh, await planWebhook(gh, url, false), {
		url,
		secret: 'whsec-test-0000',
	});
	t.deepEqual(await pingWebhook(gh, id, {delayMs: 10}), {
		ok: false,
		statusCode: 502,
		status: 'Invalid HTTP Response: 502',
	});
	t.deepEqual(standIn.violations, []);
});

test('webhook step: skipped without the platform secret, blocked until the platform answers', async t => {
	const {standIn, gh, input, log} = await setUp(t);
	const context = {
		input,
		log,
		github: gh,
		signal: new AbortController().signal,
		phases: ['github' as const],
		output() {},
		local: {nodeVersion: '20.20.0', home: '/tmp'},
	};
	t.is((await webhookStep(() => undefined).check(context)).kind, 'skipped');
	t.is(
		(
			await webhookStep(
				() => 'whsec-test-0000',
				async () => false,
			).check(context)
		).kind,
		'blocked',
	);
	t.is(
		(
			await webhookStep(
				() => 'whsec-test-0000',
				async () => true,
			).check(context)
		).kind,
		'new',
	);
	t.false(webhookStep(() => 'x').when!({...input, mode: 'local'}));
	t.deepEqual(standIn.writes(), []);
});

test('runner online check and a dispatched run followed to its conclusion', async t => {
	const {standIn, gh} = await setUp(t);
	t.false((await scaleSetRunners(gh, 'codex-k8s-ai-staging')).online);
	standIn.repo.runners.push({
		id: 1,
		name: 'codex-k8s-ai-staging-abc',
		status: 'online',
		busy: false,
		labels: ['codex-k8s-ai-staging'],
	});
	t.true((await scaleSetRunners(gh, 'codex-k8s-ai-staging')).online);
	standIn.repo.files.set(workflowPath, 'name: x\n');
	const progress: string[] = [];
	const outcome = await dispatchAndFollow(gh, 'main', {
		delayMs: 5,
		maxDelayMs: 20,
		onProgress: line => progress.push(line),
	});
	t.is(outcome.conclusion, 'success');
	t.regex(outcome.url, /\/actions\/runs\/\d+$/);
	t.deepEqual(outcome.jobs, [
		'build: success',
		'deploy: success',
		'smoke: success',
	]);
	t.true(progress.length >= 2);
	standIn.repo.nextConclusion = 'failure';
	t.is(
		(await dispatchAndFollow(gh, 'main', {delayMs: 5})).conclusion,
		'failure',
	);
	t.deepEqual(standIn.violations, []);
});
