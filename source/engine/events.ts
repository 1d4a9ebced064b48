import type {Phase} from '../config/schema.js';
import type {Finding, StepStatus} from './step.js';
import type {StepTiming} from './timing.js';

/** Typed events from the engine; the Ink UI, the line renderer and `--json` all consume these. */
export type EngineEvent =
	| {
			type: 'run-start';
			command: string;
			steps: Array<{id: string; phase: Phase; title: string}>;
	  }
	| {type: 'phase-start'; phase: Phase}
	| {type: 'step-start'; id: string; title: string}
	| {type: 'step-output'; id: string; line: string}
	| {type: 'step-finding'; id: string; finding: Finding}
	| {
			type: 'step-finish';
			id: string;
			status: StepStatus;
			durationMs: number;
			error?: string;
			/** Check, apply and verify times and round trips, when the runner measured them. */
			timing?: StepTiming;
	  }
	| {type: 'run-finish'; ok: boolean; changes: number; durationMs: number};

export type EventSink = (event: EngineEvent) => void;

/** A sink that fans out to several consumers. */
export const fanOut =
	(...sinks: EventSink[]): EventSink =>
	event => {
		for (const sink of sinks) {
			sink(event);
		}
	};
