import test from 'ava';
import type {Plan, PlannedStep} from '../../source/engine/plan.js';
import {planText, stepDetail} from '../../source/report/plan-text.js';
import {convergedPlan, mixedPlan, target} from './_plan-fixture.js';

test('one aligned line per step, header, summary and the --probe hint', t => {
	t.is(
		planText(mixedPlan, {target}),
		[
			'Plan for root@203.0.113.10:22 · local mode · offline',
			'',
			'preflight  preflight.node-version  already done  Node.js 20.20.2',
			'preflight  preflight.ssh-key       blocked       No key in the agent and no --identity',
			'    → Run ssh-add, or pass --identity ~/.ssh/id_ed25519.',
			'host       host.base-packages      new           install curl, jq and nftables; enable unattended-upgrades',
			'host       host.ssh-hardening      change        PasswordAuthentication yes → no; inputs changed since the last run',
			'host       host.sysctl             skipped       skipped in a container',
			'cluster    cluster.k3s             not probed    Installs k3s v1.33.4+k3s1 after verifying the install script and binary checksums.; Keeps the Traefik bundled with k3s.',
			'cluster    cluster.node-ready      not probed    checked on the host when run',
			'',
			'2 to change · 1 already done · 1 blocked · 1 skipped · 2 not probed',
			'Offline plan: add --probe to also read the host and GitHub (read-only).',
			'',
		].join('\n'),
	);
});

test('a probed plan has no hint, and a step without detail has no trailing spaces', t => {
	t.is(
		planText(convergedPlan, {target}),
		[
			'Plan for root@203.0.113.10:22 · server mode · probed',
			'',
			'preflight  preflight.node-version  already done',
			'host       host.operator-user      already done  codex',
			'',
			'0 to change · 2 already done',
			'',
		].join('\n'),
	);
});

test('no ANSI escapes, ever', t => {
	// eslint-disable-next-line no-control-regex -- looking for the escape character itself
	t.notRegex(planText(mixedPlan, {target}), /\u001B/v);
});

test('a multi-line problem stays on the step line; each line of the fix goes under it', t => {
	const step: PlannedStep = {
		id: 'host.apt',
		phase: 'host',
		title: 'Packages',
		reach: 'host',
		description: [],
		inputsChanged: false,
		finding: {
			kind: 'blocked',
			problem: 'apt is locked\n  by unattended-upgr (pid 812)',
			hint: 'Wait for it,\nthen resume.',
		},
	};
	t.is(stepDetail(step), 'apt is locked by unattended-upgr (pid 812)');
	const lines = planText({mode: 'local', probed: true, steps: [step]}, {target})
		.split('\n')
		.slice(2, 5);
	t.deepEqual(lines, [
		'host  host.apt  blocked  apt is locked by unattended-upgr (pid 812)',
		'    → Wait for it,',
		'    → then resume.',
	]);
});

test('an empty plan has no step block', t => {
	const empty: Plan = {mode: undefined, probed: true, steps: []};
	t.is(
		planText(empty, {target: 'staging'}),
		'Plan for staging · mode not set · probed\n\n0 to change\n',
	);
});
