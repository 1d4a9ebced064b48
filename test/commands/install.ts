import {mkdtempSync, readdirSync, readFileSync} from 'node:fs';
import {once} from 'node:events';
import {createServer, type AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {install} from '../../source/commands/install.js';
import {
	type InterruptedError,
	UsageError,
	UserError,
} from '../../source/errors.js';
import {createInterrupt} from '../../source/engine/interrupt.js';
import {StateStore} from '../../source/engine/state.js';
import type {Step} from '../../source/engine/step.js';
import {invocation} from '../helpers/invocation.js';
import {makeKeyPair} from '../helpers/keys.js';
import {memoryStep} from '../helpers/fake-steps.js';
import {fakeSecret} from '../helpers/secrets.js';

const flags = {host: '203.0.113.10', mode: 'local', yes: true, only: 'host'};

const registryOver = (host: Map<string, string>, extra: Partial<Step> = {}) => [
	memoryStep('host.one', host, '1'),
	memoryStep('host.two', host, '2', extra),
];

test('an install applies the changes, records them, and a re-run changes nothing', async t => {
	const host = new Map<string, string>();
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const first = invocation('install', {...flags, json: true}, {stateDir});
	t.is(await install(first, {registry: registryOver(host)}), 0);
	t.like(JSON.parse(first.stdoutText()), {
		command: 'install',
		ok: true,
		changes: 2,
	});
	t.deepEqual(
		[...host],
		[
			['host.one', '1'],
			['host.two', '2'],
		],
	);
	const second = invocation('install', {...flags, json: true}, {stateDir});
	t.is(await install(second, {registry: registryOver(host)}), 0);
	const report = JSON.parse(second.stdoutText()) as {
		changes: number;
		steps: Array<{id: string; status: string}>;
	};
	t.is(report.changes, 0);
	t.deepEqual(
		report.steps.map(step => step.status),
		['done', 'done'],
	);
	const store = new StateStore({directory: stateDir});
	t.deepEqual(
		[...store.completions('root@203.0.113.10:22').keys()],
		['host.one', 'host.two'],
	);
	t.is(store.unfinished('root@203.0.113.10:22'), undefined);
	// Flags apply to their run only: nothing given on the command line becomes a saved answer.
	t.deepEqual(store.target('root@203.0.113.10:22').answers, {});
});

test("one run's flags and variables are not saved: a later run without them uses the defaults again", async t => {
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const seen: Array<{timeout: number; fingerprint?: string}> = [];
	const recording: Partial<Step> = {
		async check(context) {
			seen.push({
				timeout: context.input.timeouts.command,
				fingerprint: context.input.connection.hostKeyFingerprint,
			});
			return {kind: 'done'};
		},
	};
	const fingerprint = `SHA256:${'A'.repeat(43)}`;
	const once = invocation(
		'install',
		{...flags, hostKeyFingerprint: fingerprint},
		{stateDir, env: {CODEXK8S_COMMAND_TIMEOUT: '15'}},
	);
	t.is(await install(once, {registry: registryOver(new Map(), recording)}), 0);
	const later = invocation('install', flags, {stateDir});
	t.is(await install(later, {registry: registryOver(new Map(), recording)}), 0);
	t.deepEqual(seen, [
		{timeout: 15, fingerprint},
		{timeout: 900, fingerprint: undefined},
	]);
	const saved = JSON.stringify(
		new StateStore({directory: stateDir}).target('root@203.0.113.10:22')
			.answers,
	);
	t.notRegex(saved, /SHA256|15/);
});

test('Ctrl-C mid-step stops after it, saves state, exits 130; resume finishes with saved answers', async t => {
	const host = new Map<string, string>();
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const interrupt = createInterrupt({
		source: {
			on() {},
			off() {},
			removeAllListeners() {},
		} as unknown as NodeJS.Process,
		exit() {},
	});
	const slow: Partial<Step> = {
		async apply(context) {
			await new Promise<void>((resolve, reject) => {
				context.signal.addEventListener('abort', () => {
					reject(new Error('remote command cancelled'));
				});
				interrupt.interrupt();
				setTimeout(resolve, 1000);
			});
			host.set('host.two', '2');
		},
	};
	const run = invocation('install', flags, {stateDir});
	t.is(
		await install(run, {registry: registryOver(host, slow), interrupt}),
		130,
	);
	t.regex(run.stderrText(), /Interrupted/);
	t.regex(run.stderrText(), /codex-k8s-install resume/);
	t.false(host.has('host.two'));
	const store = new StateStore({directory: stateDir});
	const key = 'root@203.0.113.10:22';
	t.is(store.unfinished(key)?.outcome, 'interrupted');
	t.is(store.target(key).lastFailure?.stepId, 'host.two');
	t.deepEqual([...store.completions(key).keys()], ['host.one']);

	const resumed = invocation('resume', {yes: true, json: true}, {stateDir});
	t.is(await install(resumed, {registry: registryOver(host), resume: true}), 0);
	const report = JSON.parse(resumed.stdoutText()) as {
		steps: Array<{id: string; status: string}>;
	};
	t.deepEqual(
		report.steps.map(step => `${step.id} ${step.status}`),
		['host.one done', 'host.two changed'],
	);
	t.is(new StateStore({directory: stateDir}).unfinished(key), undefined);
});

test('a failing step exits 1 with the error, the hint, the log path and the resume command', async t => {
	const host = new Map<string, string>();
	const failing: Partial<Step> = {
		async apply() {
			throw new UserError('sshd -t rejected the drop-in', {
				hint: 'The previous settings were restored.',
			});
		},
	};
	const run = invocation('install', flags);
	t.is(await install(run, {registry: registryOver(host, failing)}), 1);
	const stderr = run.stderrText();
	t.regex(
		stderr,
		/✖ sshd -t rejected the drop-in\n {2}The previous settings were restored\.\n {2}Log: .+\.log/,
	);
	t.regex(stderr, /then run: codex-k8s-install resume/);
});

test('without a terminal, changes need --yes: exit 2 and nothing is touched', async t => {
	const host = new Map<string, string>();
	const run = invocation('install', {...flags, yes: undefined});
	t.is(await install(run, {registry: registryOver(host)}), 2);
	t.regex(run.stderrText(), /✖ The plan has 2 changes\n {2}Pass --yes/);
	t.notRegex(run.stderrText(), /resume/, 'a usage error is not resumed');
	t.is(host.size, 0);
});

test('phases that are not built yet are refused before anything runs', async t => {
	const run = invocation('install', {...flags, only: 'host,cluster'});
	await t.throwsAsync(install(run, {registry: registryOver(new Map())}), {
		instanceOf: UserError,
		message: 'This version cannot install the cluster phase yet',
	});
});

test('without --only, an install runs the phases this version has and says which come later', async t => {
	const host = new Map<string, string>();
	const run = invocation('install', {...flags, only: undefined});
	t.is(await install(run, {registry: registryOver(host)}), 0);
	t.regex(
		run.stderrText(),
		/^This version installs preflight, host; cluster, platform, runner, github, verify come in a later version\.$/m,
	);
	t.is(host.get('host.two'), '2');
});

test('resume without an unfinished install says so', async t => {
	const run = invocation('resume', {only: 'host'});
	await t.throwsAsync(
		install(run, {registry: registryOver(new Map()), resume: true}),
		{
			instanceOf: UsageError,
			message: 'There is no unfinished install to resume',
		},
	);
});

test('the log of a run holds no secret given in the environment', async t => {
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const canary = fakeSecret('ghp_');
	const leaky: Partial<Step> = {
		async apply(context) {
			context.output(`using token ${canary}`);
			context.log.info(`Authorization: token ${canary}`);
		},
	};
	const run = invocation('install', flags, {
		stateDir,
		env: {CODEXK8S_GITHUB_TOKEN: canary},
	});
	t.is(await install(run, {registry: registryOver(new Map(), leaky)}), 0);
	const logs = join(stateDir, 'logs');
	const [logFile] = readdirSync(logs);
	const text = readFileSync(join(logs, logFile!), 'utf8');
	t.regex(text, /using token \*{3}/);
	t.false(text.includes(canary));
	t.false(run.stderrText().includes(canary));
	t.false(readFileSync(join(stateDir, 'state.json'), 'utf8').includes(canary));
});

test('an interruption while planning exits 130 saying nothing changed, and leaves no run to resume', async t => {
	const host = new Map<string, string>();
	const stateDir = mkdtempSync(join(tmpdir(), 'ck8s-state-'));
	const controller = createInterrupt({
		source: {
			on() {},
			off() {},
			removeAllListeners() {},
		} as unknown as NodeJS.Process,
		exit() {},
	});
	controller.interrupt();
	const step: Step = {
		...memoryStep('host.one', host, '1'),
		async check(context) {
			throw context.signal.reason as InterruptedError;
		},
	};
	const run = invocation('install', {...flags, json: true}, {stateDir});
	t.is(await install(run, {registry: [step], interrupt: controller}), 130);
	t.like(JSON.parse(run.stdoutText()), {
		ok: false,
		steps: [],
		error: {
			kind: 'interrupted',
			message: 'Stopped before any change; nothing was changed',
			exitCode: 130,
		},
	});
	t.notRegex(run.stdoutText(), /resume/, 'nothing ran: nothing to resume');
	t.notRegex(run.stderrText(), /resume/);
	const store = new StateStore({directory: stateDir});
	t.is(store.unfinished('root@203.0.113.10:22'), undefined);
	t.is(host.get('host.one'), undefined);

	// The next install runs it all, offering nothing to resume.
	const again = invocation('install', flags, {stateDir});
	t.is(
		await install(again, {registry: [memoryStep('host.one', host, '1')]}),
		0,
	);
	t.is(host.get('host.one'), '1');
	t.notRegex(again.stderrText(), /resume/i);
});

test('remote output shows on stderr only with --verbose; the log always has it', async t => {
	const chatty: Partial<Step> = {
		async apply(context) {
			context.output('Unpacking curl (8.5.0) ...');
		},
	};
	const quiet = invocation('install', flags);
	t.is(await install(quiet, {registry: registryOver(new Map(), chatty)}), 0);
	t.false(quiet.stderrText().includes('Unpacking curl'));
	t.regex(quiet.stderrText(), /Set host\.two changed/);
	const verbose = invocation('install', {...flags, verbose: true});
	t.is(await install(verbose, {registry: registryOver(new Map(), chatty)}), 0);
	t.regex(verbose.stderrText(), /│ Unpacking curl \(8\.5\.0\) \.{3}/);
});

test('a blocked step anywhere in the plan stops the install before its first change', async t => {
	const host = new Map<string, string>();
	const blocked: Step = {
		...memoryStep('host.two', host, '2'),
		async check() {
			return {
				kind: 'blocked',
				problem: 'no public key for the operator user',
				hint: 'Pass --operator-key.',
			};
		},
	};
	const run = invocation('install', flags);
	t.is(
		await install(run, {
			registry: [memoryStep('host.one', host, '1'), blocked],
		}),
		1,
	);
	t.regex(
		run.stderrText(),
		/✖ Nothing was changed: 1 step is blocked\n {2}Set host\.two: no public key for the operator user\n {4}→ Pass --operator-key\./,
	);
	t.is(host.size, 0, 'the step before the blocked one did not run');
});

test('a refused connection: the log the summary names exists and holds the error', async t => {
	const closed = createServer();
	closed.listen(0, '127.0.0.1');
	await once(closed, 'listening');
	const {port} = closed.address() as AddressInfo;
	closed.close();
	await once(closed, 'close');
	const run = invocation('install', {
		...flags,
		host: '127.0.0.1',
		port: String(port),
		identity: makeKeyPair().path,
	});
	t.is(await install(run), 1);
	const stderr = run.stderrText();
	const refused = `nothing is listening on 127.0.0.1 port ${port}: the connection was refused`;
	t.true(stderr.includes(`✖ ${refused}`), `stderr: ${stderr}`);
	const logFile = /Log: (.+\.log)$/m.exec(stderr)?.[1];
	t.truthy(logFile, `stderr: ${stderr}`);
	t.true(readFileSync(logFile!, 'utf8').includes(refused));
});
