import test from 'ava';
import {inputSchema} from '../../source/config/schema.js';
import {selectSteps} from '../../source/engine/registry.js';
import type {Step} from '../../source/engine/step.js';

const step = (
	fields: Pick<Step, 'id' | 'phase' | 'reach' | 'serves'>,
): Step => ({
	title: fields.id,
	describe: () => [],
	check: async () => ({kind: 'done'}),
	...fields,
});

const registry = [
	step({id: 'preflight.node', phase: 'preflight', reach: 'local'}),
	step({
		id: 'preflight.key',
		phase: 'preflight',
		reach: 'local',
		serves: 'host',
	}),
	step({id: 'preflight.os', phase: 'preflight', reach: 'host'}),
	step({id: 'preflight.token', phase: 'preflight', reach: 'github'}),
	step({id: 'host.user', phase: 'host', reach: 'host'}),
	step({id: 'github.labels', phase: 'github', reach: 'github'}),
];
const input = inputSchema.parse({});
const ids = (only?: Parameters<typeof selectSteps>[2]) =>
	selectSteps(registry, input, only).map(selected => selected.id);

test('--only keeps the preflight checks its phases need; a local check serving the host goes with the host', t => {
	t.deepEqual(ids(['github']), [
		'preflight.node',
		'preflight.token',
		'github.labels',
	]);
	t.deepEqual(ids(['host']), [
		'preflight.node',
		'preflight.key',
		'preflight.os',
		'host.user',
	]);
	t.deepEqual(
		ids(),
		registry.map(each => each.id),
	);
	t.deepEqual(
		ids(['preflight']),
		registry.slice(0, 4).map(each => each.id),
	);
});
