import type {StepContext} from '../../source/engine/step.js';
import {progressLine, waitForNode} from '../../source/kube/index.js';
import {kubeOf, runScript} from '../kit.js';
import {clusterFacts} from './facts.js';
import {pathValues} from './paths.js';

/**
 * Runs `assets/scripts/cluster/<name>.sh` after host/lib.sh (write_file) as root, with `values`
 * and the phase's paths on stdin.
 */
export async function runClusterScript(
	context: StepContext,
	name: string,
	values: Record<string, string> = {},
): Promise<string> {
	return runScript(context, `cluster/${name}.sh`, {
		library: 'host/lib.sh',
		values: {...pathValues, ...values},
	});
}

/**
 * After k3s (re)started: its node registered, then Ready, with progress in the status line. The
 * node's name is the host's name, as k3s registers it.
 */
export async function waitForOwnNode(context: StepContext): Promise<void> {
	const facts = await clusterFacts(context);
	if (facts.unit.active !== 'active') {
		return;
	}

	const kube = await kubeOf(context);
	await waitForNode(kube, facts.nodeName, {
		limitMs: context.input.timeouts.nodeReady * 1000,
		signal: context.signal,
		progress(event) {
			context.output(progressLine(event));
		},
	});
}
