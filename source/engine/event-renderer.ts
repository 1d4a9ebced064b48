import {ListrTaskEventType, ListrTaskState, type ListrRenderer} from 'listr2';
import type {Phase} from '../config/schema.js';
import type {EventSink} from './events.js';
import type {StepStatus} from './step.js';
import type {StepTiming} from './timing.js';

type Task = ConstructorParameters<typeof ListrRenderer>[0][number];

export type Outcome = {status: StepStatus; error?: string; timing?: StepTiming};

export type EventRendererOptions = {
	sink: EventSink;
	/** Filled by the runner as each step decides its status, read when listr2 closes the task. */
	outcomes: Map<string, Outcome>;
	now?: () => number;
};

export type EventRendererTaskOptions = {stepId?: string; phase?: Phase};

/**
 * A listr2 renderer that draws nothing: it turns task state changes into typed engine events,
 * so the Ink UI, the line renderer and `--json` all see one stream (docs/contributing.md, House rules).
 */
export class EventRenderer {
	static nonTTY = true;
	static rendererOptions: EventRendererOptions;
	static rendererTaskOptions: EventRendererTaskOptions;

	private readonly tasks: Task[];
	private readonly options: EventRendererOptions;

	constructor(tasks: Task[], options: EventRendererOptions) {
		this.tasks = tasks;
		this.options = options;
	}

	render(): void {
		this.watch(this.tasks);
	}

	end(): void {
		// Nothing to clean up: no terminal was touched.
	}

	private watch(tasks: Task[]): void {
		const {sink, outcomes, now = Date.now} = this.options;
		for (const task of tasks) {
			const {stepId, phase} = (task.rendererTaskOptions ??
				{}) as EventRendererTaskOptions;
			let startedAt = 0;
			task.on(ListrTaskEventType.SUBTASK, (subtasks: Task[]) => {
				this.watch(subtasks);
			});
			task.on(ListrTaskEventType.OUTPUT, data => {
				if (stepId) {
					for (const line of String(data).split('\n')) {
						sink({type: 'step-output', id: stepId, line});
					}
				}
			});
			task.on(ListrTaskEventType.STATE, state => {
				if (phase && state === ListrTaskState.STARTED) {
					sink({type: 'phase-start', phase});
				}

				if (!stepId) {
					return;
				}

				if (state === ListrTaskState.STARTED) {
					startedAt = now();
					sink({type: 'step-start', id: stepId, title: task.title ?? stepId});
				} else if (
					state === ListrTaskState.COMPLETED ||
					state === ListrTaskState.FAILED ||
					state === ListrTaskState.SKIPPED
				) {
					const outcome = outcomes.get(stepId) ?? {
						status:
							state === ListrTaskState.COMPLETED
								? 'done'
								: state === ListrTaskState.SKIPPED
									? 'skipped'
									: 'failed',
					};
					sink({
						type: 'step-finish',
						id: stepId,
						status: outcome.status,
						durationMs: now() - startedAt,
						...(outcome.error ? {error: outcome.error} : {}),
						...(outcome.timing ? {timing: outcome.timing} : {}),
					});
				}
			});
		}
	}
}
