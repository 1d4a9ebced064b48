import type {StepContext} from '../../source/engine/step.js';
import {progressLine, type WaitOptions} from '../../source/kube/index.js';

/** How the cluster objects' steps wait: the rollout limit, Ctrl-C, progress on the live line. */
export function waitOptions(context: StepContext): WaitOptions {
	return {
		limitMs: context.input.timeouts.rollout * 1000,
		signal: context.signal,
		progress(event) {
			context.output(progressLine(event));
		},
	};
}

/** What k3s's own objects live in: its bundled charts, their HelmCharts and install Jobs. */
export const k3sNamespace = 'kube-system';
