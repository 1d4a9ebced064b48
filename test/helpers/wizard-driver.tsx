import {
	allPermissions,
	type Permission,
} from '../../source/github/permissions.js';
import type {ProbeReport} from '../../source/github/probe.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';
import type {DnsVerdict} from '../../source/local/dns.js';
import {Wizard, type WizardProps} from '../../source/ui/wizard/Wizard.js';
import {plain, press, renderAt} from './ink.js';

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
	const instance = renderAt(view, columns);
	return {
		done,
		interrupted: () => interrupted,
		frame: () => plain(instance.lastFrame() ?? ''),
		async press(...inputs: string[]) {
			await press(instance, ...inputs);
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

/** DNS answering for a domain that points at another address. */
export const wrongDns: DnsVerdict = {
	ok: false,
	problem:
		'staging.example.com points at 198.51.100.7, not at the host (203.0.113.10)',
	hint: 'Point an A record of staging.example.com at 203.0.113.10 and remove any AAAA record, wait for it to be visible, then run again.',
};
