import {UserError} from '../../source/errors.js';
import {
	type KubeObject,
	progressLine,
	waitForHelmChart,
	waitForRollout,
} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {objectsStep} from '../kit-objects.js';
import {arcChart, runnerNames, waitLimitMs} from './names.js';

const {chartNamespace, controllerNamespace, controllerRelease} = runnerNames;

/**
 * ARC's controller, installed by k3s's helm-controller from a HelmChart. Ready once the install
 * Job completed and the Deployments the chart made rolled out (found by the chart's own label,
 * not by a name guessed from the release).
 */
export const runnerController = objectsStep({
	id: 'runner.controller',
	phase: 'runner',
	title: 'ARC controller',
	removeObjects: true,
	requires: ['cluster'],
	inputs: () => pins.arcChart,
	runbook: () => ({
		check: [
			`kubectl -n ${controllerNamespace} get deploy,pods; kubectl -n ${chartNamespace} get helmchart ${controllerRelease}`,
		],
		fix: [
			`kubectl -n ${chartNamespace} logs job/helm-install-${controllerRelease}   (why the chart did not install)`,
			'codex-k8s-install install --only runner',
		],
	}),
	describe: () => [
		`ARC's gha-runner-scale-set-controller chart ${pins.arcChart} as a k3s HelmChart (${chartNamespace}/${controllerRelease}) into ${controllerNamespace}`,
		'waited until its install Job completed and its controller Deployment rolled out',
	],
	objects: () => [
		arcChart(
			controllerRelease,
			'gha-runner-scale-set-controller',
			controllerNamespace,
		),
	],
	async ready(kube, context) {
		const options = {
			limitMs: waitLimitMs(context.input),
			signal: context.signal,
			progress(event: Parameters<typeof progressLine>[0]) {
				context.output(progressLine(event));
			},
		};
		await waitForHelmChart(kube, chartNamespace, controllerRelease, options);
		const deployments = await kube.read<{items: KubeObject[]}>(
			`/apis/apps/v1/namespaces/${controllerNamespace}/deployments?labelSelector=${encodeURIComponent(runnerNames.controllerLabel)}`,
			context.signal,
		);
		const names = deployments?.items.map(item => item.metadata.name) ?? [];
		if (names.length === 0) {
			throw new UserError(
				`ARC's chart installed, but no controller Deployment (${runnerNames.controllerLabel}) is in ${controllerNamespace}`,
				{
					hint: `See the HelmChart ${chartNamespace}/${controllerRelease} and its helm-install Job's log.`,
				},
			);
		}

		for (const name of names) {
			// eslint-disable-next-line no-await-in-loop -- one controller; its lines in order
			await waitForRollout(
				kube,
				{kind: 'Deployment', namespace: controllerNamespace, name},
				options,
			);
		}
	},
});
