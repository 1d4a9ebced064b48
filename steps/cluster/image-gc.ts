import type {Finding, Step} from '../../source/engine/step.js';
import {changes, fileChange, sshCommand, verifyConverged} from '../kit.js';
import type {Input} from '../../source/config/schema.js';
import {runClusterScript, waitForOwnNode} from './common.js';
import {
	type ClusterFacts,
	clusterFacts,
	clusterProbeSet,
	pruneTimerUnit,
} from './facts.js';
import {clusterPaths} from './paths.js';
import {kubeletDropIn, pruneService, pruneTimer} from './render.js';

/**
 * Kubelet image GC thresholds and a daily prune (upstream step 25: the containerd store grew to
 * hundreds of GiB). Written before k3s is installed, so a first install starts with them and
 * needs no restart; later, k3s restarts only when the drop-in really changed.
 */
export function imageGcFinding(facts: ClusterFacts, input: Input): Finding {
	const prune = input.cluster.imagePrune;
	const dropIn = fileChange(
		facts,
		clusterPaths.kubeletDropIn,
		kubeletDropIn(input),
	);
	const list = [
		...dropIn,
		...fileChange(
			facts,
			clusterPaths.pruneService,
			prune ? pruneService() : undefined,
		),
		...fileChange(
			facts,
			clusterPaths.pruneTimer,
			prune ? pruneTimer(input) : undefined,
		),
	];
	if (prune && facts.pruneTimer.enabled !== 'enabled') {
		list.push(`enable ${pruneTimerUnit}`);
	}

	if (prune && facts.pruneTimer.active !== 'active') {
		list.push(`start ${pruneTimerUnit}`);
	}

	if (dropIn.length > 0 && facts.unit.active === 'active') {
		list.push('restart k3s (the kubelet reads the drop-in at start)');
	}

	return changes(
		list,
		facts.files.get(clusterPaths.kubeletDropIn) !== undefined,
	);
}

export const imageGcStep: Step = {
	id: 'cluster.image-gc',
	phase: 'cluster',
	title: 'Image garbage collection',
	reach: 'host',
	inputs: input => ({
		high: input.cluster.imageGcHigh,
		low: input.cluster.imageGcLow,
		prune: input.cluster.imagePrune,
		calendar: input.cluster.imagePruneCalendar,
	}),
	probes: clusterProbeSet,
	describe: input => [
		`kubelet removes unused images above ${input.cluster.imageGcHigh}% disk use, down to ${input.cluster.imageGcLow}% (drop-in ${clusterPaths.kubeletDropIn})`,
		input.cluster.imagePrune
			? `unused images pruned by ${pruneTimerUnit} (${input.cluster.imagePruneCalendar})`
			: 'no prune timer (CODEXK8S_K3S_IMAGE_PRUNE_TIMER_ENABLED=false)',
		'k3s is restarted only when the drop-in changed',
	],
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'cat ${clusterPaths.kubeletDropIn}; systemctl list-timers ${pruneTimerUnit}'`,
		],
		fix: [
			`prune now: sudo systemctl start ${pruneTimerUnit.replace('.timer', '.service')}; its log: sudo journalctl -u ${pruneTimerUnit.replace('.timer', '.service')}`,
			'change the thresholds with CODEXK8S_K3S_IMAGE_GC_HIGH_THRESHOLD_PERCENT / _LOW_ and run install again (k3s restarts once)',
		],
	}),
	async check(context) {
		return imageGcFinding(await clusterFacts(context), context.input);
	},
	async apply(context) {
		const {input} = context;
		await runClusterScript(context, 'image-gc', {
			DROP_IN_TEXT: kubeletDropIn(input).trimEnd(),
			PRUNE: input.cluster.imagePrune ? 'yes' : 'no',
			SERVICE_TEXT: pruneService().trimEnd(),
			TIMER_TEXT: pruneTimer(input).trimEnd(),
			TIMER_UNIT: pruneTimerUnit,
		});
	},
	async verify(context) {
		await verifyConverged(imageGcStep, context);
		await waitForOwnNode(context);
	},
};
