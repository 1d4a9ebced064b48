import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {openHost} from '../../source/engine/host.js';
import {UserError} from '../../source/errors.js';
import {makePlan} from '../../source/engine/plan.js';
import {runSteps} from '../../source/engine/runner.js';
import {fakeContext} from '../helpers/fake-steps.js';
import {loopbackSession} from '../helpers/loopback-session.js';
import {exampleSteps} from '../fixtures/example-phase/index.js';
import {greetingText} from '../fixtures/example-phase/greeting.js';

const scripts = new URL('../fixtures/example-phase/scripts', import.meta.url);

test('a new phase written with the kit and the context alone plans, runs, converges, and re-runs with no change', async t => {
	const root = mkdtempSync(join(tmpdir(), 'example-phase-'));
	t.teardown(() => {
		rmSync(root, {recursive: true, force: true});
	});
	const steps = exampleSteps(root);
	const session = loopbackSession(scripts);
	const lines: string[] = [];
	const {output: _, ...base} = fakeContext({host: openHost(session)});

	const plan = await makePlan(steps, {...base, output() {}}, {probe: true});
	t.deepEqual(plan.steps[0]!.finding, {
		kind: 'new',
		changes: [`create ${root}/etc/codex-k8s-install/greeting`],
	});
	t.is(session.roundTrips, 1, 'the plan reads the facts in one round trip');

	const first = await runSteps(steps, base, {
		command: 'install',
		dryRun: false,
		plan,
		sink(event) {
			if (event.type === 'step-finding') {
				lines.push(event.id);
			}
		},
	});
	t.true(first.ok, `${String(first.error)}`);
	t.deepEqual(
		first.steps.map(({id, status}) => `${id} ${status}`),
		['cluster.greeting changed'],
	);
	t.deepEqual(session.scripts, ['example/greeting.sh']);
	t.is(
		readFileSync(join(root, 'etc/codex-k8s-install/greeting'), 'utf8'),
		greetingText(base.input.operator.user),
	);

	// A new run: a new host handle, so the facts are read again, and nothing is left to do.
	const again = await runSteps(
		steps,
		{...base, host: openHost(session)},
		{command: 'install', dryRun: false, sink() {}},
	);
	t.deepEqual(
		again.steps.map(({id, status}) => `${id} ${status}`),
		['cluster.greeting done'],
	);
	t.deepEqual(session.scripts, ['example/greeting.sh'], 'no script ran again');
	t.deepEqual(lines, ['cluster.greeting']);
});

test('a failing script is a UserError naming the script, with its last lines', async t => {
	const root = mkdtempSync(join(tmpdir(), 'example-phase-'));
	t.teardown(() => {
		rmSync(root, {recursive: true, force: true});
	});
	// A file where the folder should be: the script's mkdir -p fails.
	writeFileSync(join(root, 'etc'), 'not a folder');
	const [step] = exampleSteps(root);
	const context = fakeContext({host: openHost(loopbackSession(scripts))});
	const finding = await step!.check(context);
	t.is(finding.kind, 'new');
	const error = await t.throwsAsync(step!.apply!(context, finding), {
		instanceOf: UserError,
		message: 'greeting failed on the host (exit 1)',
	});
	t.regex(error.hint ?? '', /mkdir: .*Not a directory/);
});

test('docs/contributing.md shows the example phase as it is', t => {
	const page = readFileSync(
		new URL('../../docs/contributing.md', import.meta.url),
		'utf8',
	);
	for (const file of [
		'paths.ts',
		'greeting.ts',
		'index.ts',
		'scripts/example/greeting.sh',
	]) {
		const text = readFileSync(
			new URL(`../fixtures/example-phase/${file}`, import.meta.url),
			'utf8',
		);
		t.true(page.includes(text), `the page shows ${file} as it is`);
	}
});
