import test from 'ava';
import {InterruptedError} from '../../source/errors.js';
import type {EngineEvent} from '../../source/engine/events.js';
import {makePlan} from '../../source/engine/plan.js';
import {runSteps} from '../../source/engine/runner.js';
import type {Step} from '../../source/engine/step.js';
import {fakeContext, memoryStep} from '../helpers/fake-steps.js';

const clock = () => {
	let time = 0;
	return () => {
		time += 10;
		return time;
	};
};

function brief(event: EngineEvent): string | undefined {
	switch (event.type) {
		case 'phase-start': {
			return `phase ${event.phase}`;
		}

		case 'step-start': {
			return `start ${event.id}`;
		}

		case 'step-output': {
			return `out ${event.id} ${event.line}`;
		}

		case 'step-finish': {
			return `finish ${event.id} ${event.status}`;
		}

		case 'run-start': {
			return `run ${event.steps.length}`;
		}

		case 'run-finish': {
			return `end ${event.ok} ${event.changes}`;
		}

		case 'step-finding': {
			return undefined;
		}
	}
}

async function run(
	steps: Step[],
	options: {dryRun?: boolean; signal?: AbortSignal} = {},
) {
	const events: EngineEvent[] = [];
	const completed: string[] = [];
	const failed: string[] = [];
	const {output, ...base} = fakeContext(
		options.signal ? {signal: options.signal} : {},
	);
	const result = await runSteps(steps, base, {
		command: 'install',
		dryRun: options.dryRun ?? false,
		sink: event => events.push(event),
		journal: {
			completed: step => completed.push(step.id),
			failed: step => failed.push(step.id),
		},
		now: clock(),
	});
	return {result, events, completed, failed};
}

test('events follow the run: phases, steps with their status, output lines, the finish', async t => {
	const host = new Map([['b', 'v']]);
	const preflight: Step = {
		...memoryStep('p', host, 'v'),
		phase: 'preflight',
		async check() {
			return {kind: 'done'};
		},
	};
	const a = memoryStep('a', host, 'v', {
		async onApply(context) {
			context.output('wrote a\nsecond line');
		},
	});
	const b = memoryStep('b', host, 'v');
	const {result, events} = await run([preflight, a, b]);
	t.true(result.ok);
	t.is(result.changes, 1);
	t.deepEqual(events.map(event => brief(event)).filter(Boolean), [
		'run 3',
		'phase preflight',
		'start p',
		'finish p done',
		'phase host',
		'start a',
		'out a wrote a',
		'out a second line',
		'finish a changed',
		'start b',
		'finish b done',
		'end true 1',
	]);
	const finishA = events.find(
		event => event.type === 'step-finish' && event.id === 'a',
	);
	t.true(finishA?.type === 'step-finish' && finishA.durationMs > 0);
});

test('a second run of converged steps changes nothing', async t => {
	const host = new Map<string, string>();
	const steps = [memoryStep('a', host, '1'), memoryStep('b', host, '2')];
	const first = await run(steps);
	t.is(first.result.changes, 2);
	const snapshot = new Map(host);
	const second = await run(steps);
	t.is(second.result.changes, 0);
	t.deepEqual(
		second.result.steps.map(step => step.status),
		['done', 'done'],
	);
	t.deepEqual(host, snapshot);
});

test('a dry run reports would-change and applies nothing', async t => {
	const host = new Map<string, string>();
	const {result, completed} = await run([memoryStep('a', host, '1')], {
		dryRun: true,
	});
	t.deepEqual(
		result.steps.map(step => step.status),
		['would-change'],
	);
	t.is(host.size, 0);
	t.deepEqual(
		completed,
		[],
		'a would-change step is not recorded as completed',
	);
});

test('a blocked step stops the run before anything changes', async t => {
	const host = new Map<string, string>();
	const blocker: Step = {
		...memoryStep('gate', host, 'x'),
		phase: 'preflight',
		async check() {
			return {kind: 'blocked', problem: 'port closed', hint: 'open it'};
		},
	};
	const {result, failed} = await run([blocker, memoryStep('a', host, '1')]);
	t.false(result.ok);
	t.is(host.size, 0);
	t.deepEqual(failed, ['gate']);
	t.regex(String((result.error as Error).message), /port closed/);
});

test('a failing apply is reported with its error and later steps do not run', async t => {
	const host = new Map<string, string>();
	const broken = memoryStep('a', host, '1', {
		async onApply() {
			throw new Error('apt exploded');
		},
	});
	const {result, events, failed} = await run([
		broken,
		memoryStep('b', host, '2'),
	]);
	t.false(result.ok);
	t.deepEqual(failed, ['a']);
	t.false(host.has('b'));
	t.true(
		events.some(
			event =>
				event.type === 'step-finish' &&
				event.id === 'a' &&
				event.status === 'failed' &&
				event.error === 'apt exploded',
		),
	);
});

test('abort reaches the running step, stops the run and reports an interruption', async t => {
	const host = new Map<string, string>();
	const controller = new AbortController();
	let sawAbort = false;
	const slow = memoryStep('slow', host, '1', {
		onApply: async context =>
			new Promise<void>((_, reject) => {
				context.signal.addEventListener('abort', () => {
					sawAbort = true;
					reject(new Error('remote command cancelled'));
				});
				setTimeout(() => {
					controller.abort();
				}, 5);
			}),
	});
	const {result, failed} = await run([slow, memoryStep('next', host, '2')], {
		signal: controller.signal,
	});
	t.true(sawAbort);
	t.true(result.error instanceof InterruptedError);
	t.deepEqual(failed, ['slow']);
	t.false(host.has('next'));
});

test('an abort that lets the running step finish stops before the next one, and the journal names that one', async t => {
	const host = new Map<string, string>();
	const controller = new AbortController();
	const finishing = memoryStep('finishing', host, '1', {
		async onApply() {
			controller.abort();
		},
	});
	const {result, completed, failed} = await run(
		[finishing, memoryStep('next', host, '2')],
		{signal: controller.signal},
	);
	t.true(result.error instanceof InterruptedError);
	t.deepEqual(completed, ['finishing']);
	t.deepEqual(failed, ['next'], 'a resume prompt can say where it stopped');
	t.false(host.has('next'));
	t.deepEqual(
		result.steps.map(step => step.status),
		['changed'],
		'the step that never started is not reported as failed',
	);
});

test('findings from a plan made just before are not checked again', async t => {
	let checks = 0;
	const step: Step = {
		...memoryStep('a', new Map(), '1'),
		async check() {
			checks++;
			return {kind: 'done'};
		},
	};
	const plan = await makePlan([step], fakeContext(), {probe: true});
	const {output, ...base} = fakeContext();
	await runSteps([step], base, {
		command: 'install',
		dryRun: false,
		plan,
		sink: () => undefined,
	});
	t.is(checks, 1);
});

test('a step skipped because it needs a phase this version lacks is not remembered as completed', async t => {
	const host = new Map<string, string>();
	const waiting = memoryStep('w', host, 'v', {
		phase: 'verify',
		requires: ['runner'],
		checkOnce: true,
	});
	const plan = await makePlan([waiting], fakeContext(), {
		probe: true,
		unbuilt: ['runner'],
	});
	t.deepEqual(plan.steps[0]?.finding, {
		kind: 'skipped',
		reason: 'needs the runner phase, which comes in a later version',
	});
	const events: EngineEvent[] = [];
	const completed: string[] = [];
	const {output, ...base} = fakeContext();
	const result = await runSteps([waiting], base, {
		command: 'install',
		dryRun: false,
		plan,
		sink: event => events.push(event),
		journal: {
			completed: step => completed.push(step.id),
			failed() {},
		},
	});
	t.deepEqual(
		result.steps.map(step => step.status),
		['skipped'],
	);
	t.deepEqual(completed, []);
	t.false(host.has('w'), 'nothing applied');
});

test('after a step that replans later, the later steps are checked again, but a step needing a phase to come stays skipped', async t => {
	const store = new Map<string, string>();
	const checked: string[] = [];
	const waits = memoryStep('waits', store, 'on', {replansLater: true});
	const later = memoryStep('later', store, 'on', {
		async check() {
			checked.push('later');
			return store.get('later') === 'on'
				? {kind: 'done'}
				: {kind: 'new', changes: ['create later']};
		},
	});
	const needsRunner = memoryStep('needs-runner', store, 'on', {
		requires: ['runner'],
		async check() {
			checked.push('needs-runner');
			return {kind: 'new', changes: ['would run']};
		},
	});
	const steps = [waits, later, needsRunner];
	const {output, ...base} = fakeContext();
	const plan = await makePlan(
		steps,
		{...base, output},
		{
			probe: false,
			unbuilt: ['runner'],
		},
	);
	checked.length = 0;
	const result = await runSteps(steps, base, {
		command: 'install',
		dryRun: false,
		plan,
		sink() {},
	});
	t.is(result.error, undefined);
	t.deepEqual(checked, ['later']);
	t.deepEqual(
		result.steps.map(step => `${step.id} ${step.status}`),
		['waits changed', 'later changed', 'needs-runner skipped'],
	);
});
