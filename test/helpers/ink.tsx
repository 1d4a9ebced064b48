import {stripVTControlCharacters} from 'node:util';
import type {ReactElement} from 'react';
import {render} from 'ink-testing-library';
import {unstable_IdlePriority, unstable_scheduleCallback} from 'scheduler';

export const keys = {
	enter: '\r',
	escape: '\u001B',
	down: '\u001B[B',
	ctrlC: '\u0003',
};

/**
 * A frame as a person sees it: no escape sequences, no trailing blanks. Whether chalk colours
 * depends on how AVA was started (FORCE_COLOR); with colour, a wrapped line keeps its trailing
 * space inside the styled run, where Ink's own trimming cannot see it, so lines are trimmed here.
 */
export const plain = (text: string) =>
	stripVTControlCharacters(text)
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n');

/** `view` in ink-testing-library at `columns`. */
export function renderAt(
	view: ReactElement,
	columns: number,
): ReturnType<typeof render> {
	const instance = render(view);
	// Ink-testing-library's stdout is fixed at 100 columns; Ink reads the width on every render.
	Object.defineProperty(instance.stdout, 'columns', {value: columns});
	instance.rerender(view);
	return instance;
}

/**
 * Resolves once React has nothing left to do: every render committed and every effect run, so the
 * input handlers (re-subscribed in effects) see the latest state. React's scheduler runs idle work
 * only after all other work, including what a commit schedules meanwhile: a state, not a time.
 */
const reactIdle = async () =>
	new Promise<void>(resolve => {
		unstable_scheduleCallback(unstable_IdlePriority, () => {
			resolve();
		});
	});

type Rendered = Pick<ReturnType<typeof render>, 'frames'>;

/** Resolves once the screen has settled: React idle, and no frame drawn while waiting for it. */
export async function settled(screen: Rendered): Promise<void> {
	let drawn: number;
	do {
		drawn = screen.frames.length;
		// eslint-disable-next-line no-await-in-loop -- until a round draws nothing new
		await reactIdle();
	} while (drawn !== screen.frames.length);
}

/** Types each input once the screen has settled from the one before (and from the first render). */
export async function press(
	screen: Rendered & {stdin: {write(data: string): void}},
	...inputs: string[]
): Promise<void> {
	await settled(screen);
	for (const input of inputs) {
		screen.stdin.write(input);
		// A lone Escape reaches the app from Ink's own setImmediate (it might start a sequence);
		// immediates run in order, so after this one it has.
		// eslint-disable-next-line no-await-in-loop -- each key after the screen settled
		await new Promise(setImmediate);
		// eslint-disable-next-line no-await-in-loop
		await settled(screen);
	}
}
