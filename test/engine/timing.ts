import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import type {EngineEvent} from '../../source/engine/events.js';
import type {Host} from '../../source/engine/host.js';
import {makePlan} from '../../source/engine/plan.js';
import {runSteps} from '../../source/engine/runner.js';
import type {Step} from '../../source/engine/step.js';
import {
	formatTiming,
	slowestSteps,
	type StepTiming,
} from '../../source/engine/timing.js';
import {createLogger} from '../../source/log.js';
import {createLineRenderer} from '../../source/report/line-renderer.js';
import {fakeContext} from '../helpers/fake-steps.js';

/** A clock and a session's round-trip count that only the steps below move. */
function world() {
	const state = {time: 0, roundTrips: 0};
	const host = {
		session: {
			get roundTrips() {
				return state.roundTrips;
			},
		},
	} as unknown as Host;
	const spend = (ms: number, roundTrips: number) => {
		state.time += ms;
		state.roundTrips += roundTrips;
	};

	return {state, host, spend, now: () => state.time};
}

function timedStep(
	id: string,
	spend: (ms: number, roundTrips: number) => void,
	costs: {
		check: [number, number];
		apply?: [number, number];
		verify?: [number, number];
	},
): Step {
	let applied = false;
	return {
		id,
		phase: 'host',
		title: `Step ${id}`,
		reach: 'host',
		describe: () => [],
		async check() {
			spend(...costs.check);
			return applied || !costs.apply
				? {kind: 'done'}
				: {kind: 'new', changes: [`make ${id}`]};
		},
		async apply() {
			spend(...costs.apply!);
			applied = true;
		},
		...(costs.verify
			? {
					async verify() {
						spend(...costs.verify!);
					},
				}
			: {}),
	};
}

test('a run records per step the time in check, apply and verify and its round trips: in the result, the events and the log', async t => {
	const {host, spend, now} = world();
	const steps = [
		timedStep('a', spend, {check: [30, 1], apply: [2000, 2], verify: [70, 1]}),
		timedStep('b', spend, {check: [5, 0]}),
	];
	const logFile = join(mkdtempSync(join(tmpdir(), 'ck8s-timing-')), 'run.log');
	const {output, ...base} = fakeContext({host, log: createLogger(logFile)});
	const events: EngineEvent[] = [];
	const result = await runSteps(steps, base, {
		command: 'install',
		dryRun: false,
		sink: event => events.push(event),
		now,
	});
	t.true(result.ok);
	const expected: Record<string, StepTiming> = {
		a: {checkMs: 30, applyMs: 2000, verifyMs: 70, roundTrips: 4},
		b: {checkMs: 5, applyMs: 0, verifyMs: 0, roundTrips: 0},
	};
	t.deepEqual(
		Object.fromEntries(result.steps.map(step => [step.id, step.timing])),
		expected,
	);
	t.deepEqual(
		Object.fromEntries(
			events.flatMap(event =>
				event.type === 'step-finish' ? [[event.id, event.timing]] : [],
			),
		),
		expected,
	);
	t.regex(
		readFileSync(logFile, 'utf8'),
		/info {2}\[a] check 0\.03s · apply 2\.00s · verify 0\.07s · 4 round trips\n/,
	);
});

test('a check made by the plan counts as the step check when the run uses that plan', async t => {
	const {host, spend, now} = world();
	const steps = [
		timedStep('a', spend, {check: [40, 1], apply: [900, 3]}),
		timedStep('b', spend, {check: [10, 1]}),
	];
	const context = fakeContext({host});
	const plan = await makePlan(steps, context, {probe: true, now});
	t.deepEqual(
		plan.steps.map(step => step.check),
		[
			{ms: 40, roundTrips: 1},
			{ms: 10, roundTrips: 1},
		],
	);
	const {output, ...base} = context;
	const result = await runSteps(steps, base, {
		command: 'install',
		dryRun: false,
		sink: () => undefined,
		plan,
		now,
	});
	t.deepEqual(
		result.steps.map(step => step.timing),
		[
			{checkMs: 40, applyMs: 900, verifyMs: 0, roundTrips: 4},
			{checkMs: 10, applyMs: 0, verifyMs: 0, roundTrips: 1},
		],
	);
});

test('a failed step still says where its time went', async t => {
	const {host, spend, now} = world();
	const failing: Step = {
		...timedStep('a', spend, {check: [20, 1], apply: [0, 0]}),
		async apply() {
			spend(500, 2);
			throw new Error('apt broke');
		},
	};
	const {output, ...base} = fakeContext({host});
	const result = await runSteps([failing], base, {
		command: 'install',
		dryRun: false,
		sink: () => undefined,
		now,
	});
	t.false(result.ok);
	t.deepEqual(result.steps[0]?.timing, {
		checkMs: 20,
		applyMs: 500,
		verifyMs: 0,
		roundTrips: 3,
	});
});

test('the slowest steps come first, at most five; formatTiming says it in one line', t => {
	const timing = (ms: number): StepTiming => ({
		checkMs: 1,
		applyMs: ms,
		verifyMs: 0,
		roundTrips: 1,
	});
	const steps: Array<{id: string; timing?: StepTiming}> = [
		10, 700, 30, 5000, 2, 90, 400,
	].map((ms, index) => ({id: `s${index}`, timing: timing(ms)}));
	t.deepEqual(
		slowestSteps([...steps, {id: 'untimed'}]).map(step => step.id),
		['s3', 's1', 's6', 's5', 's2'],
	);
	t.is(
		formatTiming({checkMs: 120, applyMs: 3400, verifyMs: 80, roundTrips: 1}),
		'check 0.12s · apply 3.40s · verify 0.08s · 1 round trip',
	);
});

test('--verbose lines show each step timing under it; plain lines do not', t => {
	const events: EngineEvent[] = [
		{
			type: 'run-start',
			command: 'install',
			steps: [{id: 'a', phase: 'host', title: 'Step a'}],
		},
		{
			type: 'step-finish',
			id: 'a',
			status: 'done',
			durationMs: 50,
			timing: {checkMs: 50, applyMs: 0, verifyMs: 0, roundTrips: 1},
		},
	];
	const render = (verbose: boolean) => {
		let text = '';
		const sink = createLineRenderer(
			{
				write(chunk: string) {
					text += chunk;
				},
			},
			{output: verbose},
		);
		for (const event of events) {
			sink(event);
		}

		return text;
	};

	t.is(
		render(true),
		'  ✔ Step a (0.1s)\n    time: check 0.05s · apply 0.00s · verify 0.00s · 1 round trip\n',
	);
	t.is(render(false), '  ✔ Step a (0.1s)\n');
});
