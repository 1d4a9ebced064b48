import {InterruptedError} from '../errors.js';

type SignalSource = Pick<NodeJS.Process, 'on' | 'off' | 'removeAllListeners'>;

export type Interrupt = {
	signal: AbortSignal;
	/** Run on exit, once, in reverse order of registration (release the lock, save state …). */
	onCleanup(cleanup: () => void): void;
	/** Trigger as a SIGINT would (the Ink UI forwards the Ctrl-C key press here). */
	interrupt(): void;
	dispose(): void;
};

/**
 * The single owner of Ctrl-C (docs/contributing.md, House rules): the first press asks the run to stop (the remote
 * command in flight finishes, no new one starts, the state is saved and the lock released); a
 * second press runs the cleanups and exits 130 at once.
 */
export function createInterrupt(
	options: {
		source?: SignalSource;
		notify?: (message: string) => void;
		exit?: (code: number) => void;
	} = {},
): Interrupt {
	const {
		source = process,
		notify = () => undefined,
		exit = (code: number) => process.exit(code),
	} = options;
	const controller = new AbortController();
	const cleanups: Array<() => void> = [];
	let cleaned = false;
	const runCleanups = () => {
		if (cleaned) {
			return;
		}

		cleaned = true;
		for (const cleanup of cleanups.toReversed()) {
			try {
				cleanup();
			} catch {
				// A failing cleanup must not keep the others from running.
			}
		}
	};

	const handler = () => {
		if (controller.signal.aborted) {
			notify('Stopping now.');
			runCleanups();
			exit(130);
			return;
		}

		notify(
			'Stopping after the current remote command; the state is saved… (press Ctrl-C again to quit at once)',
		);
		controller.abort(new InterruptedError());
	};

	// Ownership is taken, not shared: conf's atomic writes (when-exit) hook SIGINT and re-send it
	// to the process, which would turn one Ctrl-C into two and stop at once. Files are still
	// cleaned up, on 'exit'.
	source.removeAllListeners('SIGINT');
	source.removeAllListeners('SIGTERM');
	source.on('SIGINT', handler);
	source.on('SIGTERM', handler);
	return {
		signal: controller.signal,
		onCleanup(cleanup) {
			cleanups.push(cleanup);
		},
		interrupt: handler,
		dispose() {
			source.off('SIGINT', handler);
			source.off('SIGTERM', handler);
			runCleanups();
		},
	};
}
