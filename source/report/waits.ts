/**
 * What the installer waits for between the questions and the plan (connecting, reading the host,
 * checking GitHub), so no wait is a silent screen. In a terminal: one line, redrawn every second
 * with the elapsed time, gone when the wait ends. Without one: a plain line once a wait lasts
 * `quietMs`, another every `everyMs`, and the time it took when it ends.
 */
export type Waits = {
	/** Waiting for `what` now; ends the wait before. */
	begin(what: string): void;
	/** A finished line (a retry, a notice) printed above the wait, which goes on. */
	line(text: string): void;
	/** Off the screen while a question is asked; `resume` draws it again. */
	pause(): void;
	resume(): void;
	/** The wait is over; `ok: false` when it ended in an error, which says the rest. */
	end(ok?: boolean): void;
};

export type WaitsOptions = {
	/** Draw one live line (a terminal) or print plain lines. */
	live: boolean;
	now?: () => number;
	quietMs?: number;
	everyMs?: number;
};

const seconds = (ms: number) => `${Math.floor(ms / 1000)} s`;

export function createWaits(
	stream: NodeJS.WritableStream,
	{live, now = Date.now, quietMs = 1000, everyMs = 10_000}: WaitsOptions,
): Waits {
	let what: string | undefined;
	let startedAt = 0;
	let shown = false;
	let paused = false;
	let timer: NodeJS.Timeout | undefined;

	const stopTimer = () => {
		clearTimeout(timer);
		clearInterval(timer);
		timer = undefined;
	};

	const clearLive = () => {
		if (live && shown) {
			stream.write('\r\u001B[2K');
			shown = false;
		}
	};

	const drawLive = () => {
		if (what === undefined || paused) {
			return;
		}

		const elapsed = now() - startedAt;
		stream.write(
			`\r\u001B[2K  … ${what}${elapsed >= 1000 ? ` · ${seconds(elapsed)}` : ''}`,
		);
		shown = true;
	};

	const start = () => {
		stopTimer();
		if (what === undefined || paused) {
			return;
		}

		if (live) {
			drawLive();
			timer = setInterval(drawLive, 1000);
		} else {
			const label = what;
			timer = setTimeout(() => {
				stream.write(`  … ${label}\n`);
				shown = true;
				timer = setInterval(() => {
					stream.write(`  … ${label}: ${seconds(now() - startedAt)} so far\n`);
				}, everyMs);
				timer.unref();
			}, quietMs);
		}

		timer.unref();
	};

	const finish = (ok: boolean) => {
		stopTimer();
		if (live) {
			clearLive();
		} else if (shown && ok && what !== undefined) {
			stream.write(`  … ${what}: done after ${seconds(now() - startedAt)}\n`);
		}

		shown = false;
		what = undefined;
	};

	return {
		begin(next) {
			finish(true);
			what = next;
			startedAt = now();
			start();
		},
		line(text) {
			clearLive();
			stream.write(`${text}\n`);
			if (live) {
				drawLive();
			}
		},
		pause() {
			stopTimer();
			clearLive();
			paused = true;
		},
		resume() {
			paused = false;
			start();
		},
		end(ok = true) {
			finish(ok);
		},
	};
}
