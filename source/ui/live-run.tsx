import {render} from 'ink';
import type {EventSink} from '../engine/events.js';
import {emptyRun, foldEvent, type RunState} from './run-state.js';
import {RunView} from './RunView.js';

/**
 * The run view, live on a terminal: redrawn on every engine event and each second for the clocks.
 * It reads no keys, so Ctrl-C still reaches the interrupt owner as a signal.
 */
export function startLiveRun(
	stream: NodeJS.WriteStream,
	heading: string,
	options: {slowMs?: number; now?: () => number} = {},
): {sink: EventSink; stop(): void} {
	const now = options.now ?? Date.now;
	let state: RunState = emptyRun;
	const view = () => (
		<RunView
			state={state}
			heading={heading}
			now={now()}
			slowMs={options.slowMs}
		/>
	);
	const app = render(view(), {
		stdout: stream,
		patchConsole: false,
		exitOnCtrlC: false,
	});
	const timer = setInterval(() => {
		app.rerender(view());
	}, 1000);
	timer.unref();
	return {
		sink(event) {
			state = foldEvent(state, event, now());
			app.rerender(view());
		},
		stop() {
			clearInterval(timer);
			app.rerender(view());
			app.unmount();
		},
	};
}
