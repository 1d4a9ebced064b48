import {renderToString} from 'ink';
import {render} from 'ink-testing-library';
import {Confirm} from '../../source/ui/Confirm.js';
import {InterruptedError} from '../../source/engine/errors.js';
import {foldEvent, emptyRun} from '../../source/ui/run-state.js';
import {RunView} from '../../source/ui/RunView.js';
import {summaryText} from '../../source/ui/show-summary.js';
import {DnsLine, PermissionTable} from '../../source/ui/wizard/Checks.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';
import {fakeSecret} from './secrets.js';
import {keys, plain, reportLacking, startWizard} from './wizard-driver.js';

export type Screen = {title: string; text: string};

const report = reportLacking(
	'repository_hooks',
	'403, needs repository_hooks=write',
);

async function wizardScreens(): Promise<Screen[]> {
	// Made now, fixed in length: the screen shows one bullet per character and never the token.
	const token = fakeSecret('github_pat_');
	const screens: Screen[] = [];
	const wizard = startWizard({
		questions: questionsFor(['preflight', 'host', 'github'], new Map()),
		checks: {
			domain: async () => (
				<DnsLine
					verdict={{
						ok: false,
						problem:
							'staging.example.com points at 198.51.100.7, not at the host (203.0.113.10)',
						hint: 'Point an A record of staging.example.com at 203.0.113.10 and remove any AAAA record, wait for it to be visible, then run again.',
					}}
				/>
			),
			'github.token': async () => <PermissionTable report={report} />,
		},
	});
	const take = (title: string) => {
		screens.push({title, text: wizard.frame()});
	};

	await wizard.press('');
	take('Wizard: the server');
	await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	take('Wizard: the key to log in with');
	await wizard.press(keys.enter);
	take('Wizard: the runner mode');
	await wizard.press(keys.down, keys.enter, 'staging.example.com', keys.enter);
	take('Wizard: a domain that does not point at the server');
	await wizard.press(keys.enter, 'ops@example.com', keys.enter);
	await wizard.press('acme/platform', keys.enter, token, keys.enter);
	take('Wizard: a token that lacks a permission');
	await wizard.press(keys.enter);
	take('Wizard: review');
	wizard.unmount();
	return screens;
}

function runScreen(): Screen {
	let state = emptyRun;
	const steps = [
		{id: 'preflight.os', phase: 'preflight', title: 'Operating system'},
		{id: 'host.base-packages', phase: 'host', title: 'Base packages'},
		{id: 'host.firewall', phase: 'host', title: 'Firewall'},
	] as const;
	state = foldEvent(
		state,
		{type: 'run-start', command: 'install', steps: [...steps]},
		0,
	);
	state = foldEvent(
		state,
		{type: 'step-finish', id: 'preflight.os', status: 'done', durationMs: 200},
		200,
	);
	state = foldEvent(
		state,
		{type: 'step-start', id: 'host.base-packages', title: 'Base packages'},
		200,
	);
	for (const line of [
		'Unpacking nftables (1.0.6-2+deb12u2) ...',
		'Setting up fail2ban (1.0.2-2) ...',
	]) {
		state = foldEvent(
			state,
			{type: 'step-output', id: 'host.base-packages', line},
			1000,
		);
	}

	return {
		title: 'Run view (a slow step)',
		text: plain(
			renderToString(
				<RunView
					state={state}
					heading="root@203.0.113.10:22 · local mode"
					now={75_200}
				/>,
				{columns: 80},
			),
		),
	};
}

const summary = (title: string, props: Parameters<typeof summaryText>[0]) => ({
	title,
	text: plain(summaryText(props, 80)),
});

function hostKeyScreen(): Screen {
	const view = (
		<Confirm
			question="The authenticity of 203.0.113.10 can't be established. Its ssh-ed25519 key fingerprint is SHA256:4vZ0mJd8oX2tq6m1a9bVx0uK2c3dE4fG5hI6jK7lM8n. Trust it and add it to /home/you/.ssh/known_hosts?"
			onAnswer={() => undefined}
			onInterrupt={() => undefined}
		/>
	);
	const instance = render(view);
	Object.defineProperty(instance.stdout, 'columns', {value: 80});
	instance.rerender(view);
	const text = plain(instance.lastFrame() ?? '');
	instance.unmount();
	return {title: 'First contact: the host key', text};
}

/** Every screen, rendered by the real components from fixed inputs. */
export async function renderScreens(): Promise<Screen[]> {
	const base = {
		target: 'root@203.0.113.10:22',
		mode: 'local',
		logFile:
			'~/.config/codex-k8s-install/logs/2026-11-24T10-00-00.000Z-install.log',
		resumeCommand: 'codex-k8s-install resume',
	};
	return [
		...(await wizardScreens()),
		hostKeyScreen(),
		runScreen(),
		summary('Summary: finished', {
			...base,
			later: ['cluster', 'platform', 'runner', 'verify'],
			result: {
				ok: true,
				changes: 1,
				durationMs: 9000,
				steps: [
					{
						id: 'host.firewall',
						phase: 'host',
						title: 'Firewall',
						status: 'changed',
						changes: ['load table inet codex_k8s_install'],
					},
				],
			},
		}),
		summary('Summary: stopped with Ctrl-C', {
			...base,
			result: {
				ok: false,
				changes: 0,
				durationMs: 9000,
				error: new InterruptedError(),
				steps: [
					{
						id: 'host.base-packages',
						phase: 'host',
						title: 'Base packages',
						status: 'failed',
						changes: [],
						error: 'Interrupted',
					},
				],
			},
		}),
	];
}

export const screensDocument = (screens: readonly Screen[]) =>
	[
		'# What the installer looks like',
		'',
		'Generated by `npm run docs:screens` from the real components (a test fails when this file is',
		'out of date). Colours are left out; 80 columns.',
		'',
		...screens.flatMap(screen => [
			`## ${screen.title}`,
			'',
			'```text',
			screen.text,
			'```',
			'',
		]),
	].join('\n');
