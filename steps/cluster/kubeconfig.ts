import type {Finding, Step} from '../../source/engine/step.js';
import {NotThereYetError} from '../../source/errors.js';
import {changes, sshCommand, verifyConverged} from '../kit.js';
import {runClusterScript} from './common.js';
import {type ClusterFacts, clusterFacts, clusterProbeSet} from './facts.js';

/**
 * The operator's copy of k3s's admin kubeconfig, so `kubectl` works without root. It is a
 * cluster-admin credential: only the operator may read it (directory 700, file 600).
 */
export function kubeconfigFinding(facts: ClusterFacts, user: string): Finding {
	const {home, modes, same} = facts.operator;
	if (!home) {
		return {
			kind: 'blocked',
			problem: `the operator ${user} does not exist on the host`,
			hint: 'The host phase creates the operator: run `install` (or `install --only host`) first.',
		};
	}

	if (!facts.kubeconfig) {
		return {
			kind: 'new',
			changes: [
				`copy k3s's kubeconfig to ${home}/.kube/config (once k3s wrote it)`,
			],
		};
	}

	const list: string[] = [];
	const directory = `${home}/.kube`;
	const file = `${directory}/config`;
	if (modes.get(directory) !== `700 ${user}`) {
		list.push(`${directory}: mode 700, owned by ${user}`);
	}

	if (!same) {
		list.push(
			`${modes.has(file) ? 'update' : 'create'} ${file} (k3s's admin kubeconfig)`,
		);
	} else if (modes.get(file) !== `600 ${user}`) {
		list.push(`${file}: mode 600, owned by ${user}`);
	}

	return changes(list, modes.has(file));
}

export const kubeconfigStep: Step = {
	id: 'cluster.kubeconfig',
	phase: 'cluster',
	title: "Operator's kubeconfig",
	reach: 'host',
	inputs: input => input.operator.user,
	probes: clusterProbeSet,
	describe: input => [
		`~${input.operator.user}/.kube/config: a copy of k3s's admin kubeconfig (directory 700, file 600), so kubectl works without root`,
		'it is a cluster-admin credential: whoever can read it controls the cluster',
	],
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'stat -c "%a %U %n" ~/.kube ~/.kube/config; kubectl get nodes'`,
		],
		fix: [
			'run install again to copy k3s.yaml anew (directory 700, file 600); it is a cluster-admin credential: never copy it off the host',
		],
	}),
	async check(context) {
		const facts = await clusterFacts(context);
		const {user} = context.input.operator;
		if (!facts.operator.home && context.phases.includes('host')) {
			// This run's host phase creates the operator: checked again when the run gets here.
			throw new NotThereYetError(`the operator ${user} does not exist yet`);
		}

		return kubeconfigFinding(facts, user);
	},
	async apply(context) {
		await runClusterScript(context, 'kubeconfig', {
			OPERATOR: context.input.operator.user,
		});
	},
	async verify(context) {
		await verifyConverged(kubeconfigStep, context);
	},
};
