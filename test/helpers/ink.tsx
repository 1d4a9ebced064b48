import {stripVTControlCharacters} from 'node:util';
import type {ReactElement} from 'react';
import {render} from 'ink-testing-library';

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
