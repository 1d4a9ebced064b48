import {setTimeout as delay} from 'node:timers/promises';
import {stripVTControlCharacters} from 'node:util';
import {render} from 'ink-testing-library';
import {
	allPermissions,
	type Permission,
} from '../../source/github/permissions.js';
import type {ProbeReport} from '../../source/github/probe.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';
import {Wizard, type WizardProps} from '../../source/ui/wizard/Wizard.js';

export const keys = {
	enter: '\r',
	escape: '\u001B',
	down: '\u001B[B',
	ctrlC: '\u0003',
};

/** A frame as a person sees it: no escape sequences, no trailing blanks. */
export const plain = (text: string) =>
	stripVTControlCharacters(text)
		.split('\n')
		.map(line => line.trimEnd())
		.join('\n');

export type WizardDriver = {
	done: unknown[];
	interrupted(): number;
	frame(): string;
	press(...inputs: string[]): Promise<void>;
	unmount(): void;
};

/** The wizard in ink-testing-library at `columns`, driven key by key. */
export function startWizard(
	props: Partial<WizardProps>,
	columns = 80,
): WizardDriver {
	const done: unknown[] = [];
	let interrupted = 0;
	const view = (
		<Wizard
			questions={questionsFor(['preflight', 'host'], new Map())}
			onDone={answers => {
				done.push(answers);
			}}
			onInterrupt={() => {
				interrupted++;
			}}
			{...props}
		/>
	);
	const instance = render(view);
	// Ink-testing-library's stdout is fixed at 100 columns; Ink reads the width on every render.
	Object.defineProperty(instance.stdout, 'columns', {value: columns});
	instance.rerender(view);
	return {
		done,
		interrupted: () => interrupted,
		frame: () => plain(instance.lastFrame() ?? ''),
		async press(...inputs: string[]) {
			for (const input of inputs) {
				instance.stdin.write(input);
				// eslint-disable-next-line no-await-in-loop -- each key after React settled
				await delay(60);
			}
		},
		unmount() {
			instance.unmount();
		},
	};
}

/** A fine-grained token's probe where only `lacking` is refused, with GitHub's reason. */
export const reportLacking = (
	lacking: Permission,
	reason: string,
): ProbeReport => ({
	kind: 'fine-grained',
	login: 'octo',
	rows: allPermissions.map(need => ({
		...need,
		status: need.permission === lacking ? 'missing' : 'present',
		reason: need.permission === lacking ? reason : 'ok',
	})),
});
