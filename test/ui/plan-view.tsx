import {Writable} from 'node:stream';
import test from 'ava';
import type {Plan} from '../../source/engine/plan.js';
import {
	findingStyle,
	type PlanHeader,
} from '../../source/report/plan-summary.js';
import {PlanView} from '../../source/ui/PlanView.js';
import {showPlan} from '../../source/ui/show-plan.js';
import {plain, renderAt} from '../helpers/ink.js';
import {convergedPlan, mixedPlan, target} from '../report/_plan-fixture.js';

const frameOf = (plan: Plan, columns = 100, header?: PlanHeader): string => {
	const view = <PlanView plan={plan} header={header ?? {target}} />;
	const instance = renderAt(view, columns);
	const frame = instance.lastFrame() ?? '';
	instance.unmount();
	return plain(frame);
};

const wideMixed = [
	'Plan for root@203.0.113.10:22 · local mode · offline',
	'',
	'preflight',
	'  ✔ Node.js version  already done',
	'    Node.js 20.20.2',
	'  ✖ SSH key  blocked',
	'    No key in the agent and no --identity',
	'    → Run ssh-add, or pass --identity ~/.ssh/id_ed25519.',
	'',
	'host',
	'  + Base packages  new',
	'    · install curl, jq and nftables',
	'    · enable unattended-upgrades',
	'  ~ SSH hardening drop-in, validated and proved by a second connection  change',
	'    · PasswordAuthentication yes → no',
	'    inputs changed since the last run',
	'  - Kernel settings  skipped',
	'    skipped in a container',
	'',
	'cluster',
	'  ? k3s  not probed',
	'    Installs k3s v1.33.4+k3s1 after verifying the install script and binary checksums.',
	'    Keeps the Traefik bundled with k3s.',
	'  ? Node Ready  not probed',
	'    checked on the host when run',
	'',
	'2 to change · 1 already done · 1 blocked · 1 skipped · 2 not probed',
	'Offline plan: add --probe to also read the host and GitHub (read-only).',
].join('\n');

const narrowMixed = [
	'Plan for root@203.0.113.10:22 · local mode · offline',
	'',
	'preflight',
	'  ✔ Node.js version  already done',
	'    Node.js 20.20.2',
	'  ✖ SSH key  blocked',
	'    No key in the agent and no --identity',
	'    → Run ssh-add, or pass --identity ~/.ssh/id_ed25519.',
	'',
	'host',
	'  + Base packages  new',
	'    · install curl, jq and nftables',
	'    · enable unattended-upgrades',
	'  ~ SSH hardening drop-in, validated and proved by a second',
	'    connection  change',
	'    · PasswordAuthentication yes → no',
	'    inputs changed since the last run',
	'  - Kernel settings  skipped',
	'    skipped in a container',
	'',
	'cluster',
	'  ? k3s  not probed',
	'    Installs k3s v1.33.4+k3s1 after verifying the install',
	'    script and binary checksums.',
	'    Keeps the Traefik bundled with k3s.',
	'  ? Node Ready  not probed',
	'    checked on the host when run',
	'',
	'2 to change · 1 already done · 1 blocked · 1 skipped ·',
	'2 not probed',
	'Offline plan: add --probe to also read the host and GitHub',
	'(read-only).',
].join('\n');

test('every finding kind, 100 columns', t => {
	t.is(frameOf(mixedPlan), wideMixed);
});

test('every finding kind, 60 columns: titles, details and summary wrap under themselves', t => {
	t.is(frameOf(mixedPlan, 60), narrowMixed);
});

test('no line is wider than the terminal', t => {
	for (const columns of [60, 40, 30]) {
		const lines = frameOf(mixedPlan, columns).split('\n');
		const widest = Math.max(...lines.map(line => [...line].length));
		t.true(widest <= columns, `${widest} > ${columns} columns`);
	}
});

test('a probed, converged plan: no --probe hint, zero to change', t => {
	t.is(
		frameOf(convergedPlan, 60),
		[
			'Plan for root@203.0.113.10:22 · server mode · probed',
			'',
			'preflight',
			'  ✔ Node.js version  already done',
			'',
			'host',
			'  ✔ Operator user  already done',
			'    codex',
			'',
			'0 to change · 2 already done',
		].join('\n'),
	);
});

test('the header can override mode and probed, and says when no mode is chosen', t => {
	const noMode: Plan = {...convergedPlan, mode: undefined, steps: []};
	t.is(
		frameOf(noMode, 100, {target: 'alias'}),
		['Plan for alias · mode not set · probed', '', '0 to change'].join('\n'),
		'defaults come from the plan',
	);
	t.is(
		frameOf(noMode, 100, {target: 'alias', mode: 'local', probed: false})
			.split('\n')
			.at(0),
		'Plan for alias · local mode · offline',
	);
});

test('colours follow the finding kind', t => {
	t.deepEqual(
		Object.fromEntries(
			Object.entries(findingStyle).map(([kind, style]) => [kind, style.tone]),
		),
		{
			done: 'green',
			new: 'cyan',
			change: 'yellow',
			blocked: 'red',
			skipped: 'gray',
			unknown: 'gray',
		},
	);
});

test('showPlan prints the same frame once, at the width of the stream', async t => {
	let written = '';
	const stdout = Object.assign(
		new Writable({
			write(chunk: Uint8Array, _encoding, done) {
				written += String(chunk);
				done();
			},
		}),
		{columns: 60},
	);
	await showPlan(mixedPlan, {target}, stdout);
	t.is(plain(written), `${narrowMixed}\n`);
});

test('each line of a blocked step’s fix gets its own arrow', t => {
	const plan: Plan = {
		mode: 'local',
		probed: false,
		steps: [
			{
				id: 'preflight.answers',
				phase: 'preflight',
				title: 'Answers',
				reach: 'local',
				description: [],
				inputsChanged: false,
				finding: {
					kind: 'blocked',
					problem: 'missing a, b',
					hint: 'a: --a\nb: --b',
				},
			},
		],
	};
	t.is(
		frameOf(plan),
		[
			'Plan for root@203.0.113.10:22 · local mode · offline',
			'',
			'preflight',
			'  ✖ Answers  blocked',
			'    missing a, b',
			'    → a: --a',
			'    → b: --b',
			'',
			'0 to change · 1 blocked',
			'Offline plan: add --probe to also read the host and GitHub (read-only).',
		].join('\n'),
	);
});
