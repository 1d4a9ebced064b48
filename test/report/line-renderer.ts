import test from 'ava';
import {inputSchema, phases} from '../../source/config/schema.js';
import type {EngineEvent} from '../../source/engine/events.js';
import {runSteps} from '../../source/engine/runner.js';
import type {Step} from '../../source/engine/step.js';
import {
	createLineRenderer,
	formatDuration,
} from '../../source/report/line-renderer.js';

const collect = (events: EngineEvent[], color = false): string => {
	let text = '';
	const sink = createLineRenderer(
		{
			write(chunk: string) {
				text += chunk;
			},
		},
		{color},
	);
	for (const event of events) {
		sink(event);
	}

	return text;
};

const steps = [
	{id: 'preflight.node', phase: 'preflight', title: 'Node.js version'},
	{id: 'host.packages', phase: 'host', title: 'Base packages'},
	{id: 'host.sshd', phase: 'host', title: 'SSH hardening'},
	{id: 'host.sysctl', phase: 'host', title: 'Kernel settings'},
	{id: 'host.firewall', phase: 'host', title: 'Firewall'},
] as const;

const run: EngineEvent[] = [
	{type: 'run-start', command: 'install', steps: [...steps]},
	{type: 'phase-start', phase: 'preflight'},
	{type: 'step-start', id: 'preflight.node', title: 'Node.js version'},
	{type: 'step-finding', id: 'preflight.node', finding: {kind: 'done'}},
	{type: 'step-finish', id: 'preflight.node', status: 'done', durationMs: 1234},
	{type: 'phase-start', phase: 'host'},
	{type: 'step-start', id: 'host.packages', title: 'Base packages'},
	{
		type: 'step-finding',
		id: 'host.packages',
		finding: {kind: 'new', changes: ['install jq', 'install nftables']},
	},
	{type: 'step-output', id: 'host.packages', line: 'Reading package lists...'},
	{type: 'step-output', id: 'host.packages', line: ''},
	{
		type: 'step-output',
		id: 'host.packages',
		line: '\u001B[32m 10%\r 50%\r100% done\u001B[0m\r',
	},
	{
		type: 'step-finish',
		id: 'host.packages',
		status: 'changed',
		durationMs: 9450,
	},
	{type: 'step-start', id: 'host.sshd', title: 'SSH hardening'},
	{type: 'step-finding', id: 'host.sshd', finding: {kind: 'done'}},
	{type: 'step-finish', id: 'host.sshd', status: 'done', durationMs: 40},
	{type: 'step-start', id: 'host.sysctl', title: 'Kernel settings'},
	{
		type: 'step-finding',
		id: 'host.sysctl',
		finding: {kind: 'skipped', reason: 'in a container'},
	},
	{type: 'step-finish', id: 'host.sysctl', status: 'skipped', durationMs: 3},
	{type: 'step-start', id: 'host.firewall', title: 'Firewall'},
	{
		type: 'step-finish',
		id: 'host.firewall',
		status: 'failed',
		durationMs: 812,
		error: 'nft exited with 1\nError: Could not process rule',
	},
	{type: 'run-finish', ok: false, changes: 1, durationMs: 75_600},
];

test('milestones of a failed run, in plain text', t => {
	t.is(
		collect(run),
		[
			'preflight',
			'  ✔ Node.js version (1.2s)',
			'host',
			'  › Base packages',
			'    │ Reading package lists...',
			'    │',
			'    │ 100% done',
			'  ↻ Base packages changed (9.5s)',
			'    · install jq',
			'    · install nftables',
			'  ✔ SSH hardening (0.0s)',
			'  - Kernel settings skipped: in a container',
			'  ✖ Firewall: nft exited with 1',
			'    Error: Could not process rule',
			'✖ install failed after 1m 16s: 1 failed · 1 changed · 2 already done · 1 skipped',
			'',
		].join('\n'),
	);
});

test('a dry run that would change, and a converged run with zero changes', t => {
	t.is(
		collect([
			{type: 'run-start', command: 'plan', steps: [steps[1]]},
			{type: 'phase-start', phase: 'host'},
			{
				type: 'step-finding',
				id: 'host.packages',
				finding: {kind: 'change', changes: ['upgrade openssh-server']},
			},
			{
				type: 'step-finish',
				id: 'host.packages',
				status: 'would-change',
				durationMs: 120,
			},
			{type: 'run-finish', ok: true, changes: 1, durationMs: 130},
		]),
		[
			'host',
			'  ↻ Base packages would change (0.1s)',
			'    · upgrade openssh-server',
			'✔ plan finished in 0.1s: 1 would change',
			'',
		].join('\n'),
	);
	t.is(
		collect([
			{type: 'run-start', command: 'install', steps: []},
			{type: 'run-finish', ok: true, changes: 0, durationMs: 2000},
		]),
		'✔ install finished in 2.0s: 0 changed\n',
	);
});

test('an error that already names the step does not name it twice', t => {
	t.is(
		collect([
			{type: 'step-start', id: 'host.sshd', title: 'SSH hardening'},
			{
				type: 'step-finish',
				id: 'host.sshd',
				status: 'failed',
				durationMs: 1,
				error: 'SSH hardening: sshd -t rejected the drop-in',
			},
		]),
		'  ✖ SSH hardening: sshd -t rejected the drop-in\n',
	);
});

test('a step without a known title or error still gets a line', t => {
	t.is(
		collect([
			{
				type: 'step-finish',
				id: 'host.mystery',
				status: 'failed',
				durationMs: 1,
			},
		]),
		'  ✖ host.mystery failed\n',
	);
});

test('with color, marks and headings are styled and output keeps no remote colours', t => {
	t.is(
		collect(run.slice(0, 11), true),
		[
			'\u001B[1mpreflight\u001B[22m',
			'  \u001B[32m✔\u001B[39m Node.js version \u001B[2m(1.2s)\u001B[22m',
			'\u001B[1mhost\u001B[22m',
			'  \u001B[36m›\u001B[39m Base packages',
			'    \u001B[90m│\u001B[39m Reading package lists...',
			'    \u001B[90m│\u001B[39m',
			'    \u001B[90m│\u001B[39m 100% done',
			'',
		].join('\n'),
	);
});

test('durations', t => {
	t.is(formatDuration(0), '0.0s');
	t.is(formatDuration(49), '0.0s');
	t.is(formatDuration(1250), '1.3s');
	t.is(formatDuration(59_949), '59.9s');
	t.is(formatDuration(59_950), '1m 00s');
	t.is(formatDuration(125_000), '2m 05s');
	t.is(formatDuration(-5), '0.0s');
});

test('renders what the real runner emits', async t => {
	const fake = (
		id: string,
		phase: Step['phase'],
		check: Step['check'],
		apply?: Step['apply'],
	): Step => ({
		id,
		phase,
		title: id,
		reach: 'local',
		check,
		apply,
		describe: () => [],
	});
	const lines: string[] = [];
	const sink = createLineRenderer({
		write(chunk: string) {
			lines.push(chunk);
		},
	});
	const noop = () => undefined;
	await runSteps(
		[
			fake('preflight.node', 'preflight', async () => ({kind: 'done'})),
			fake(
				'host.packages',
				'host',
				async () => ({kind: 'new', changes: ['install jq']}),
				async context => {
					context.output('Setting up jq');
				},
			),
		],
		{
			input: inputSchema.parse({}),
			signal: new AbortController().signal,
			phases,
			log: {
				info: noop,
				warn: noop,
				error: noop,
				addSecret: noop,
				redact: text => text,
			},
			local: {nodeVersion: '20.20.2', home: '/home/op'},
			github() {
				throw new Error('no GitHub step in this run');
			},
		},
		{command: 'install', dryRun: false, sink, now: () => 0},
	);
	t.is(
		lines.join(''),
		[
			'preflight',
			'  ✔ preflight.node (0.0s)',
			'host',
			'  › host.packages',
			'    │ Setting up jq',
			'  ↻ host.packages changed (0.0s)',
			'    · install jq',
			'✔ install finished in 0.0s: 1 changed · 1 already done',
			'',
		].join('\n'),
	);
});

test('without --verbose a plain run still shows what it waits for (an apt lock, DNS); other output only with it', t => {
	let text = '';
	const sink = createLineRenderer(
		{
			write(chunk: string) {
				text += chunk;
			},
		},
		{output: false},
	);
	for (const event of [
		{type: 'run-start', command: 'install', steps: [...steps]},
		{type: 'phase-start', phase: 'preflight'},
		{type: 'step-start', id: 'preflight.node', title: 'First boot finished'},
		{
			type: 'step-output',
			id: 'preflight.node',
			line: 'waiting for apt-get (pid 812) holding /var/lib/dpkg/lock-frontend: 9m 58s left',
		},
		{
			type: 'step-output',
			id: 'preflight.node',
			line: 'Reading package lists...',
		},
	] satisfies EngineEvent[]) {
		sink(event);
	}

	t.is(
		text,
		'preflight\n  › First boot finished\n    │ waiting for apt-get (pid 812) holding /var/lib/dpkg/lock-frontend: 9m 58s left\n',
	);
});
