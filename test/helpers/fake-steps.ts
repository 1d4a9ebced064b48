import {inputSchema, type Input} from '../../source/config/schema.js';
import {createLogger} from '../../source/log.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {githubForRun} from '../../source/github/context.js';

export const baseInput = (overrides: Record<string, unknown> = {}): Input =>
	inputSchema.parse({
		connection: {host: '203.0.113.10'},
		mode: 'local',
		...overrides,
	});

export function fakeContext(overrides: Partial<StepContext> = {}): StepContext {
	const {input = baseInput(), log = createLogger()} = overrides;
	return {
		input,
		signal: new AbortController().signal,
		log,
		github: githubForRun(input, log),
		phases: ['preflight', 'host'],
		output: () => undefined,
		local: {nodeVersion: '20.20.2', home: '/nonexistent-home'},
		...overrides,
	};
}

/**
 * A step over an in-memory "host": `check` compares `store[key]` with the wanted value, `apply`
 * writes it. So it is really idempotent, and tests can see what changed.
 */
export function memoryStep(
	id: string,
	store: Map<string, string>,
	wanted: string,
	options: Partial<Step> & {
		onApply?: (context: StepContext) => Promise<void>;
	} = {},
): Step {
	return {
		id,
		phase: 'host',
		title: `Set ${id}`,
		reach: 'local',
		describe: () => [`set ${id} to ${wanted}`],
		inputs: input => input.operator.user,
		async check(): Promise<Finding> {
			const current = store.get(id);
			if (current === wanted) {
				return {kind: 'done'};
			}

			return current === undefined
				? {kind: 'new', changes: [`create ${id}`]}
				: {kind: 'change', changes: [`${id}: ${current} → ${wanted}`]};
		},
		async apply(context) {
			await options.onApply?.(context);
			store.set(id, wanted);
		},
		...options,
	};
}
