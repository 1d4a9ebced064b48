import type {Finding, Step} from '../../source/engine/step.js';
import {changes, fileChange, sshCommand, verifyConverged} from '../kit.js';
import {runClusterScript, waitForOwnNode} from './common.js';
import {type ClusterFacts, clusterFacts, clusterProbeSet} from './facts.js';
import {clusterPaths} from './paths.js';
import {registriesYaml, registryHost} from './render.js';

/**
 * Containerd on the node cannot resolve cluster Service names, so the in-cluster registry listens
 * on the node's loopback and containerd is told to pull `127.0.0.1:5000/…` from it over plain
 * HTTP (upstream 5e4362bf). Written before k3s is installed, so a first install needs no restart.
 */
export function registryMirrorFinding(facts: ClusterFacts): Finding {
	const file = fileChange(facts, clusterPaths.registries, registriesYaml());
	const list = [...file];
	if (file.length > 0 && facts.unit.active === 'active') {
		list.push('restart k3s (containerd reads registries.yaml at start)');
	}

	return changes(list, facts.files.get(clusterPaths.registries) !== undefined);
}

export const registryMirrorStep: Step = {
	id: 'cluster.registry-mirror',
	phase: 'cluster',
	title: 'Registry mirror for the node',
	reach: 'host',
	probes: clusterProbeSet,
	describe: () => [
		`${clusterPaths.registries}: containerd pulls ${registryHost}/… from the registry on the node's loopback (plain HTTP, never leaves the host)`,
		'k3s is restarted only when the file changed',
	],
	runbook: input => ({
		check: [`${sshCommand(input)} 'sudo cat ${clusterPaths.registries}'`],
		fix: [
			'run install again to rewrite it (k3s restarts once); by hand: sudo systemctl restart k3s after editing it',
		],
	}),
	async check(context) {
		return registryMirrorFinding(await clusterFacts(context));
	},
	async apply(context) {
		await runClusterScript(context, 'registry-mirror', {
			REGISTRIES_TEXT: registriesYaml().trimEnd(),
		});
	},
	async verify(context) {
		await verifyConverged(registryMirrorStep, context);
		await waitForOwnNode(context);
	},
};
