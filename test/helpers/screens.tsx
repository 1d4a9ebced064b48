import {Buffer} from 'node:buffer';
import {Writable} from 'node:stream';
import {setTimeout as delay} from 'node:timers/promises';
import {renderToString} from 'ink';
import {Confirm} from '../../source/ui/Confirm.js';
import {GitHubUnreachable} from '../../source/github/network.js';
import {InterruptedError, stoppedBeforeAnyChange} from '../../source/errors.js';
import {createWaits, type Waits} from '../../source/report/waits.js';
import {unreachable} from '../../source/remote/reachability.js';
import {RunView} from '../../source/ui/RunView.js';
import {summaryText} from '../../source/ui/show-summary.js';
import {
	checkFailed,
	dnsCheck,
	permissionCheck,
} from '../../source/ui/wizard/Checks.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';
import {fakeSecret} from './secrets.js';
import {keys, plain, renderAt} from './ink.js';
import {runStateAt} from './run-timeline.js';
import {reportLacking, startWizard, wrongDns} from './wizard-driver.js';

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
			domain: async () => dnsCheck(wrongDns),
			'github.token': async () => permissionCheck(report),
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

/** The checks that stop the operator: GitHub not reachable for the token check, no key to log in with. */
async function wizardFailureScreens(): Promise<Screen[]> {
	const screens: Screen[] = [];
	const refused = startWizard({
		questions: questionsFor(['preflight', 'host', 'github'], new Map()),
		checks: {
			'github.token': async () =>
				checkFailed(
					new GitHubUnreachable(
						Object.assign(new Error('connect ECONNREFUSED'), {
							code: 'ECONNREFUSED',
						}),
						{apiUrl: 'https://api.github.com', timeoutS: 30, attempts: 4},
					),
				),
		},
	});
	await refused.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	await refused.press(keys.enter, keys.enter, 'acme/platform', keys.enter);
	await refused.press(fakeSecret('github_pat_'), keys.enter);
	screens.push({
		title: 'Wizard: the token check failed',
		text: refused.frame(),
	});
	refused.unmount();

	const keyless = startWizard({keyChoices: []});
	await keyless.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	screens.push({
		title: 'Wizard: no SSH key to log in with',
		text: keyless.frame(),
	});
	keyless.unmount();
	return screens;
}

function runScreen(): Screen {
	const state = runStateAt(1003);
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
	const instance = renderAt(view, 80);
	const text = plain(instance.lastFrame() ?? '');
	instance.unmount();
	return {title: 'First contact: the host key', text};
}

/** The wait after the review, as a terminal shows it and as plain lines without one. */
async function waitScreens(): Promise<Screen[]> {
	const written = async (
		live: boolean,
		show: (waits: Waits, tick: (ms: number) => void) => Promise<void>,
	) => {
		let text = '';
		let clock = 0;
		const stream = new Writable({
			write(chunk: Uint8Array, _encoding, done) {
				text += Buffer.from(chunk).toString('utf8');
				done();
			},
		});
		const waits = createWaits(stream, {live, now: () => clock, quietMs: 0});
		await show(waits, ms => {
			clock += ms;
		});
		return text;
	};

	// A terminal keeps what follows the last clear of the line.
	const live = await written(true, async (waits, tick) => {
		waits.begin('Connecting to root@203.0.113.10:22');
		tick(4000);
		waits.line('');
	});
	// The first line of a wait is printed by a timer (at once here, after 1 s in a run).
	const lines = await written(false, async (waits, tick) => {
		waits.begin('Connecting to root@203.0.113.10:22');
		await delay(5);
		tick(14_000);
		waits.begin('Checking GitHub: GitHub token permissions');
		await delay(5);
		waits.line('  › GitHub unreachable (connection refused), retry 1/3 in 1 s');
		tick(3000);
		waits.end();
	});
	return [
		{
			title: 'After the review: what the run waits for',
			text: plain(live.split('\r\u001B[2K').at(-1) ?? ''),
		},
		{title: 'Without a terminal: waits as lines', text: lines.trimEnd()},
	];
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
		...(await wizardFailureScreens()),
		hostKeyScreen(),
		...(await waitScreens()),
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
		summary('Summary: the host does not answer', {
			...base,
			result: {
				ok: false,
				changes: 0,
				durationMs: 10_000,
				error: unreachable('203.0.113.10', 22, 'ETIMEDOUT', {
					timeoutMs: 10_000,
				}),
				steps: [],
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
		summary('Summary: stopped with Ctrl-C before any change', {
			...base,
			result: {
				ok: false,
				changes: 0,
				durationMs: 4000,
				error: stoppedBeforeAnyChange(),
				steps: [],
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
