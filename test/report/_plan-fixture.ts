import type {Plan, PlannedStep} from '../../source/engine/plan.js';

const step = (
	fields: Pick<PlannedStep, 'id' | 'phase' | 'title' | 'finding'> &
		Partial<PlannedStep>,
): PlannedStep => ({
	reach: 'host',
	description: [],
	inputsChanged: false,
	...fields,
});

/** An offline plan with one step of every finding kind. */
export const mixedPlan: Plan = {
	mode: 'local',
	probed: false,
	steps: [
		step({
			id: 'preflight.node-version',
			phase: 'preflight',
			title: 'Node.js version',
			reach: 'local',
			finding: {kind: 'done', note: 'Node.js 20.20.2'},
		}),
		step({
			id: 'preflight.ssh-key',
			phase: 'preflight',
			title: 'SSH key',
			reach: 'local',
			finding: {
				kind: 'blocked',
				problem: 'No key in the agent and no --identity',
				hint: 'Run ssh-add, or pass --identity ~/.ssh/id_ed25519.',
			},
		}),
		step({
			id: 'host.base-packages',
			phase: 'host',
			title: 'Base packages',
			finding: {
				kind: 'new',
				changes: [
					'install curl, jq and nftables',
					'enable unattended-upgrades',
				],
			},
		}),
		step({
			id: 'host.ssh-hardening',
			phase: 'host',
			title:
				'SSH hardening drop-in, validated and proved by a second connection',
			finding: {kind: 'change', changes: ['PasswordAuthentication yes → no']},
			inputsChanged: true,
		}),
		step({
			id: 'host.sysctl',
			phase: 'host',
			title: 'Kernel settings',
			finding: {kind: 'skipped', reason: 'skipped in a container'},
		}),
		step({
			id: 'cluster.k3s',
			phase: 'cluster',
			title: 'k3s',
			finding: {kind: 'unknown', reason: 'checked on the host when run'},
			description: [
				'Installs k3s v1.33.4+k3s1 after verifying the install script and binary checksums.',
				'Keeps the Traefik bundled with k3s.',
			],
		}),
		step({
			id: 'cluster.node-ready',
			phase: 'cluster',
			title: 'Node Ready',
			finding: {kind: 'unknown', reason: 'checked on the host when run'},
		}),
	],
};

/** A probed plan of a converged host: nothing to change. */
export const convergedPlan: Plan = {
	mode: 'server',
	probed: true,
	steps: [
		step({
			id: 'preflight.node-version',
			phase: 'preflight',
			title: 'Node.js version',
			reach: 'local',
			finding: {kind: 'done'},
		}),
		step({
			id: 'host.operator-user',
			phase: 'host',
			title: 'Operator user',
			finding: {kind: 'done', note: 'codex'},
		}),
	],
};

export const target = 'root@203.0.113.10:22';
