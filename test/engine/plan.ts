import test from 'ava';
import {
	countChanges,
	findingLabel,
	makePlan,
} from '../../source/engine/plan.js';
import {UserError} from '../../source/errors.js';
import type {Step} from '../../source/engine/step.js';
import {openHost, type ProbeSet} from '../../source/engine/host.js';
import type {RemoteSession} from '../../source/remote/types.js';
import {fakeContext, memoryStep} from '../helpers/fake-steps.js';

test('a plan reports new, change and done per step, and counts the changes', async t => {
	const host = new Map([
		['b', 'old'],
		['c', 'ok'],
	]);
	const steps = [
		memoryStep('a', host, 'x'),
		memoryStep('b', host, 'new'),
		memoryStep('c', host, 'ok'),
	];
	const plan = await makePlan(steps, fakeContext(), {probe: false});
	t.deepEqual(
		plan.steps.map(step => [step.id, findingLabel(step.finding)]),
		[
			['a', 'new'],
			['b', 'change'],
			['c', 'already done'],
		],
	);
	t.is(countChanges(plan), 2);
	t.deepEqual(
		host,
		new Map([
			['b', 'old'],
			['c', 'ok'],
		]),
		'planning changes nothing',
	);
});

test('an offline plan does not check remote steps; a probed one does', async t => {
	let checks = 0;
	const remote: Step = {
		...memoryStep('remote', new Map(), 'x'),
		reach: 'host',
		async check() {
			checks++;
			return {kind: 'done'};
		},
	};
	const offline = await makePlan([remote], fakeContext(), {probe: false});
	t.is(offline.steps[0]!.finding.kind, 'unknown');
	t.is(checks, 0);
	const probed = await makePlan([remote], fakeContext(), {probe: true});
	t.is(probed.steps[0]!.finding.kind, 'done');
	t.is(checks, 1);
});

test('a check that throws a UserError makes the step blocked; a bug propagates', async t => {
	const blocked: Step = {
		...memoryStep('x', new Map(), 'x'),
		async check() {
			throw new UserError('disk full', {hint: 'free some space'});
		},
	};
	const plan = await makePlan([blocked], fakeContext(), {probe: false});
	t.deepEqual(plan.steps[0]!.finding, {
		kind: 'blocked',
		problem: 'disk full',
		hint: 'free some space',
	});
	const buggy: Step = {
		...blocked,
		async check() {
			throw new TypeError('oops');
		},
	};
	await t.throwsAsync(makePlan([buggy], fakeContext(), {probe: false}), {
		instanceOf: TypeError,
	});
});

test('a step completed earlier with other inputs is marked as changed inputs', async t => {
	const step = memoryStep('a', new Map(), 'x');
	const plan = await makePlan([step], fakeContext(), {
		probe: false,
		completed: new Map([['a', 'old-fingerprint']]),
		fingerprint: () => 'new-fingerprint',
	});
	t.true(plan.steps[0]!.inputsChanged);
	const same = await makePlan([step], fakeContext(), {
		probe: false,
		completed: new Map([['a', 'fp']]),
		fingerprint: () => 'fp',
	});
	t.false(same.steps[0]!.inputsChanged);
});

test('a check-once step trusts its saved completion until its inputs change', async t => {
	let checks = 0;
	const step: Step = {
		...memoryStep('slow', new Map(), 'x'),
		checkOnce: true,
		async check() {
			checks++;
			return {kind: 'new', changes: ['dispatch']};
		},
	};
	const options = {probe: true, fingerprint: () => 'fp-1'};
	const trusted = await makePlan([step], fakeContext(), {
		...options,
		completed: new Map([['slow', 'fp-1']]),
	});
	t.is(trusted.steps[0]!.finding.kind, 'done');
	t.is(checks, 0);
	const changed = await makePlan([step], fakeContext(), {
		...options,
		completed: new Map([['slow', 'fp-0']]),
	});
	t.is(changed.steps[0]!.finding.kind, 'new');
	t.is(checks, 1);
});

test('with a session, the facts of every probing step go in one round trip, and each reader takes them once', async t => {
	const sent: Array<Record<string, string>> = [];
	const remote = {
		async probe(probes: Record<string, string>) {
			sent.push(probes);
			return Object.fromEntries(
				Object.keys(probes).map(key => [key, {code: 0, output: key}]),
			);
		},
	} as unknown as RemoteSession;
	const set = (name: string): ProbeSet => ({
		name,
		snippets: async () => ({a: 'true', b: 'true'}),
		parse: probed => probed,
	});
	const host = openHost(remote);
	const taken: Array<string | undefined> = [];
	const reader = (id: string, name: string): Step => ({
		...memoryStep(id, new Map(), 'x'),
		reach: 'host',
		probes: () => set(name),
		async check() {
			taken.push(host.facts.take(name)?.results['b']?.output);
			return {kind: 'done'};
		},
	});
	await makePlan(
		[
			reader('one', 'left'),
			reader('two', 'left'),
			reader('three', 'right'),
			memoryStep('local', new Map(), 'x'),
		],
		fakeContext({host}),
		{probe: true},
	);
	t.deepEqual(sent, [
		{'left.a': 'true', 'left.b': 'true', 'right.a': 'true', 'right.b': 'true'},
	]);
	t.deepEqual(taken, ['left.b', undefined, 'right.b']);
	t.is(host.facts.take('right'), undefined, 'nothing is left after planning');
	await makePlan([reader('one', 'left')], fakeContext({host}), {
		probe: false,
	});
	t.is(sent.length, 1, 'an offline plan sends nothing');
});
