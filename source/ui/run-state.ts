import type {Phase} from '../config/schema.js';
import type {EngineEvent} from '../engine/events.js';
import type {StepStatus} from '../engine/step.js';

export type RunStep = {
	id: string;
	phase: Phase;
	title: string;
	status: StepStatus | 'pending' | 'running';
	startedAt?: number;
	durationMs?: number;
};

/** What the live run view shows, folded from engine events; no React in here. */
export type RunState = {
	steps: RunStep[];
	current?: string;
	/** The last lines of remote output of the current step. */
	output: string[];
	startedAt?: number;
	finished?: {ok: boolean; changes: number; durationMs: number};
};

export const outputLines = 3;

export const emptyRun: RunState = {steps: [], output: []};

const update = (
	state: RunState,
	id: string,
	change: (step: RunStep) => RunStep,
): RunStep[] => state.steps.map(step => (step.id === id ? change(step) : step));

export function foldEvent(
	state: RunState,
	event: EngineEvent,
	now: number,
): RunState {
	switch (event.type) {
		case 'run-start': {
			return {
				steps: event.steps.map(step => ({...step, status: 'pending'})),
				output: [],
				startedAt: now,
			};
		}

		case 'step-start': {
			return {
				...state,
				current: event.id,
				output: [],
				steps: update(state, event.id, step => ({
					...step,
					status: 'running',
					startedAt: now,
				})),
			};
		}

		case 'step-output': {
			return event.id === state.current
				? {...state, output: [...state.output, event.line].slice(-outputLines)}
				: state;
		}

		case 'step-finish': {
			return {
				...state,
				current: state.current === event.id ? undefined : state.current,
				output: state.current === event.id ? [] : state.output,
				steps: update(state, event.id, step => ({
					...step,
					status: event.status,
					durationMs: event.durationMs,
				})),
			};
		}

		case 'run-finish': {
			const {ok, changes, durationMs} = event;
			return {
				...state,
				current: undefined,
				finished: {ok, changes, durationMs},
			};
		}

		case 'phase-start':
		case 'step-finding': {
			return state;
		}
	}
}
