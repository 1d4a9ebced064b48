import test from 'ava';
import type {Plan} from '../../source/engine/plan.js';
import {planJson, planJsonText} from '../../source/report/plan-json.js';
import {convergedPlan, mixedPlan, target} from './_plan-fixture.js';

test('top level: command, mode, probed and the count of new and change steps', t => {
	const {steps, ...top} = planJson(mixedPlan);
	t.deepEqual(top, {command: 'plan', mode: 'local', probed: false, changes: 2});
	t.is(steps.length, mixedPlan.steps.length);
});

test('every finding kind maps to a status and its details', t => {
	t.deepEqual(planJson(mixedPlan).steps, [
		{
			id: 'preflight.node-version',
			phase: 'preflight',
			title: 'Node.js version',
			status: 'done',
			finding: 'done',
			changes: [],
			note: 'Node.js 20.20.2',
			inputsChanged: false,
		},
		{
			id: 'preflight.ssh-key',
			phase: 'preflight',
			title: 'SSH key',
			status: 'failed',
			finding: 'blocked',
			changes: [],
			error: 'No key in the agent and no --identity',
			hint: 'Run ssh-add, or pass --identity ~/.ssh/id_ed25519.',
			inputsChanged: false,
		},
		{
			id: 'host.base-packages',
			phase: 'host',
			title: 'Base packages',
			status: 'would-change',
			finding: 'new',
			changes: ['install curl, jq and nftables', 'enable unattended-upgrades'],
			inputsChanged: false,
		},
		{
			id: 'host.ssh-hardening',
			phase: 'host',
			title:
				'SSH hardening drop-in, validated and proved by a second connection',
			status: 'would-change',
			finding: 'change',
			changes: ['PasswordAuthentication yes → no'],
			inputsChanged: true,
		},
		{
			id: 'host.sysctl',
			phase: 'host',
			title: 'Kernel settings',
			status: 'skipped',
			finding: 'skipped',
			changes: [],
			note: 'skipped in a container',
			inputsChanged: false,
		},
		{
			id: 'cluster.k3s',
			phase: 'cluster',
			title: 'k3s',
			status: 'unknown',
			finding: 'unknown',
			changes: [],
			note: 'checked on the host when run',
			inputsChanged: false,
		},
		{
			id: 'cluster.node-ready',
			phase: 'cluster',
			title: 'Node Ready',
			status: 'unknown',
			finding: 'unknown',
			changes: [],
			note: 'checked on the host when run',
			inputsChanged: false,
		},
	]);
});

test('a converged plan has changes: 0', t => {
	t.is(planJson(convergedPlan).changes, 0);
	t.deepEqual(
		planJson(convergedPlan).steps.map(step => step.status),
		['done', 'done'],
	);
});

test('the header adds the target and may override mode and probed; no mode means no key', t => {
	const noMode: Plan = {mode: undefined, probed: false, steps: []};
	t.deepEqual(planJson(noMode), {
		command: 'plan',
		probed: false,
		changes: 0,
		steps: [],
	});
	t.deepEqual(planJson(noMode, {target, mode: 'server', probed: true}), {
		command: 'plan',
		target,
		mode: 'server',
		probed: true,
		changes: 0,
		steps: [],
	});
});

test('the printed document is indented JSON with a final newline, and parses back', t => {
	const text = planJsonText(convergedPlan, {target});
	t.true(
		text.startsWith(
			'{\n  "command": "plan",\n  "target": "root@203.0.113.10:22",\n',
		),
	);
	t.true(text.endsWith('}\n'));
	t.deepEqual(JSON.parse(text), planJson(convergedPlan, {target}));
});
