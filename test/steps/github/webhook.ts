import {createServer} from 'node:http';
import type {AddressInfo} from 'node:net';
import test, {type ExecutionContext} from 'ava';
import type {InputSource} from '../../../source/config/schema.js';
import {UserError} from '../../../source/errors.js';
import type {Finding, StepContext} from '../../../source/engine/step.js';
import {hookRecordVariable} from '../../../source/github/hook-records.js';
import {platformAnswers} from '../../../source/github/platform-probe.js';
import {githubLabels} from '../../../steps/github/labels.js';
import {webhookStep} from '../../../steps/github/webhook.js';
import {standInClient, standInContext} from '../../helpers/github/client.js';
import {startGitHubStandIn} from '../../helpers/github/server.js';
import {startPlatformStandIn} from '../../helpers/platform.js';
import {fakeSecret} from '../../helpers/secrets.js';

/*
The webhook step against the OpenAPI-validated GitHub stand-in, whose deliveries really go to the
hook's URL signed with its secret, and a stand-in of the platform's webhook endpoint that checks
that signature (401 when wrong, 202 when right).
*/

const step = webhookStep({intervalMs: 50, pingDelayMs: 20});

async function setUp(t: ExecutionContext, extraRepos: string[] = []) {
	const secret = fakeSecret('whsec-');
	const standIn = await startGitHubStandIn({extraRepos});
	const platform = await startPlatformStandIn(secret);
	t.teardown(async () => {
		await standIn.close();
		await platform.close();
	});
	const contextFor = (extra: InputSource = {}): StepContext => {
		const client = standInClient(standIn, undefined, {
			mode: 'server',
			domain: 'staging.example.com',
			...extra,
			github: {webhookUrl: platform.url, ...extra.github},
			platform: {webhookSecret: secret, ...extra.platform},
			timeouts: {platform: 1, ...extra.timeouts},
		});
		return standInContext(client);
	};

	const run = async (context: StepContext) => {
		const finding = await step.check(context);
		const note =
			finding.kind === 'new' || finding.kind === 'change'
				? await step.apply!(context, finding)
				: undefined;
		return {finding, note};
	};

	return {standIn, platform, secret, contextFor, run};
}

const changesOf = (finding: Finding) =>
	finding.kind === 'new' || finding.kind === 'change' ? finding.changes : [];

test('set once the platform answers; the ping reaches it signed with the secret; a re-run writes nothing', async t => {
	const {standIn, platform, secret, contextFor, run} = await setUp(t);
	const first = await run(contextFor());
	t.is(first.finding.kind, 'new');
	t.deepEqual(changesOf(first.finding), [
		`create the webhook → ${platform.url}`,
		'ask GitHub for a ping and check its delivery',
	]);
	const [hook] = standIn.repo.hooks;
	t.is(hook?.config.secret, secret);
	t.deepEqual(hook?.events.toSorted(), [
		'issue_comment',
		'issues',
		'pull_request',
		'pull_request_review',
		'pull_request_review_comment',
		'push',
	]);
	t.deepEqual(platform.accepted, ['ping']);
	t.is(
		first.note,
		`acme/platform webhook ${hook?.id} → ${platform.url}: ping delivered (202)`,
	);
	const record = standIn.repo.variables.get(hookRecordVariable)!.value;
	t.false(record.includes(secret), 'the record keeps a digest, not the secret');

	const writes = standIn.writes().length;
	const again = await run(contextFor());
	t.deepEqual(again.finding, {kind: 'done'});
	t.is(standIn.writes().length, writes);
	t.deepEqual(platform.accepted, ['ping'], 'no second ping');
	t.deepEqual(standIn.violations, []);
});

test('a changed secret updates the hook; a platform that refuses the signature fails the step clearly', async t => {
	const {standIn, platform, contextFor, run} = await setUp(t);
	await run(contextFor());
	const newSecret = fakeSecret('whsec-');
	const context = contextFor({platform: {webhookSecret: newSecret}});
	const finding = await step.check(context);
	t.is(finding.kind, 'change');
	t.true(changesOf(finding)[0]!.endsWith(': secret'));
	const error = await t.throwsAsync(step.apply!(context, finding), {
		instanceOf: UserError,
	});
	t.regex(error.message, /ping of acme\/platform to .* got 401/);
	t.regex(error.hint!, /another webhook secret/);
	t.false(error.message.includes(newSecret));

	const [hook] = standIn.repo.hooks;
	t.deepEqual(changesOf(await step.check(context)), [
		`webhook ${hook!.id}: its last delivery got 401`,
		'ask GitHub for a ping and check its delivery',
	]);
	platform.secret = newSecret;
	await run(context);
	t.deepEqual(platform.accepted, ['ping', 'ping']);
	t.like(await step.check(context), {kind: 'done'});
	t.is(standIn.repo.hooks.length, 1);
	t.deepEqual(standIn.violations, []);
});

test('a new URL moves this installation’s hook; a hook it did not make is reported and kept', async t => {
	const {standIn, secret, contextFor, run} = await setUp(t);
	const foreignUrl = 'https://other.example.com/api/v1/webhooks/github';
	standIn.repo.hooks.push({
		id: 7,
		active: true,
		events: ['push'],
		config: {url: foreignUrl, content_type: 'json', insecure_ssl: '0'},
		createdAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
	});
	const first = await run(contextFor());
	t.true(
		changesOf(first.finding).some(line =>
			line.startsWith(
				`webhook 7 → ${foreignUrl} was not made by this installation`,
			),
		),
	);
	const ours = standIn.repo.hooks.find(hook => hook.id !== 7)!;

	const moved = await startPlatformStandIn(secret);
	t.teardown(async () => moved.close());
	const movedContext = contextFor({github: {webhookUrl: moved.url}});
	const second = await run(movedContext);
	t.regex(changesOf(second.finding)[0]!, /^update webhook \d+: URL \(was /);
	t.is(ours.config.url, moved.url, 'the same hook now points at the new URL');
	t.deepEqual(moved.accepted, ['ping']);
	t.is(standIn.repo.hooks.length, 2);
	t.like(await step.check(movedContext), {kind: 'done'});

	// A hook at the new URL made by hand is adopted; the one this installation made is removed.
	const third = await startPlatformStandIn(secret);
	t.teardown(async () => third.close());
	standIn.repo.hooks.push({
		id: 9,
		active: true,
		events: ['push'],
		config: {url: third.url, content_type: 'json', insecure_ssl: '0'},
		createdAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
	});
	const adopted = await run(contextFor({github: {webhookUrl: third.url}}));
	t.true(
		changesOf(adopted.finding).includes(
			`remove this installation’s old webhook ${ours.id} → ${moved.url}`,
		),
	);
	t.deepEqual(
		standIn.repo.hooks.map(hook => hook.id).toSorted((a, b) => a - b),
		[7, 9],
		'the foreign hook is kept',
	);
	t.deepEqual(standIn.violations, []);
});

test('without a secret the step is skipped; while the platform does not answer nothing is written and the step gives up clearly', async t => {
	const {standIn, platform, contextFor} = await setUp(t);
	t.like(await step.check(contextFor({platform: {webhookSecret: undefined}})), {
		kind: 'skipped',
	});
	t.false(step.when!(contextFor({mode: 'local'}).input));

	await platform.close();
	const context = contextFor();
	const finding = await step.check(context);
	t.is(
		changesOf(finding)[0],
		`wait for the platform to answer at ${platform.url}`,
	);
	const error = await t.throwsAsync(step.apply!(context, finding), {
		instanceOf: UserError,
	});
	t.regex(error.message, /does not answer at .* \(waited 1 s\)/);
	t.deepEqual(standIn.writes(), []);
	t.deepEqual(standIn.violations, []);
});

test('the first project’s repository gets the same webhook and the labels; the records stay with the platform’s', async t => {
	const {standIn, platform, contextFor, run} = await setUp(t, ['acme/first']);
	const context = contextFor({github: {firstProjectRepo: 'acme/first'}});
	const first = await run(context);
	t.true(
		changesOf(first.finding).includes(
			`acme/first: create the webhook → ${platform.url}`,
		),
	);
	const firstProject = standIn.repos.get('acme/first')!;
	t.is(firstProject.hooks[0]?.config.url, platform.url);
	t.deepEqual(platform.accepted, ['ping', 'ping']);
	t.deepEqual(
		Object.keys(
			JSON.parse(
				standIn.repo.variables.get(hookRecordVariable)!.value,
			) as Record<string, unknown>,
		),
		['acme/platform', 'acme/first'],
	);
	t.is(firstProject.variables.size, 0, 'nothing else is written there');

	const labels = await githubLabels.check(context);
	t.true(changesOf(labels).includes('acme/first: create label run:dev'));
	await githubLabels.apply!(context, labels);
	t.is(firstProject.labels.size, standIn.repo.labels.size);

	const writes = standIn.writes().length;
	t.like(await step.check(context), {kind: 'done'});
	t.like(await githubLabels.check(context), {kind: 'done'});
	t.is(standIn.writes().length, writes);
	t.deepEqual(standIn.violations, []);
});

test('the platform answers only with 401 to a wrong signature: an ingress 404, a 502 or a login redirect do not count', async t => {
	const {platform} = await setUp(t);
	t.true(await platformAnswers(platform.url));
	const status = {code: 404};
	const ingress = createServer((_request, response) => {
		response.statusCode = status.code;
		response.end();
	});
	await new Promise<void>(resolve => {
		ingress.listen(0, '127.0.0.1', resolve);
	});
	t.teardown(() => ingress.close());
	const url = `http://127.0.0.1:${(ingress.address() as AddressInfo).port}/api/v1/webhooks/github`;
	for (const code of [404, 502, 302, 200]) {
		status.code = code;
		// eslint-disable-next-line no-await-in-loop -- one status after the other
		t.false(await platformAnswers(url), `status ${code}`);
	}
});
