import type {Input} from '../../source/config/schema.js';
import type {Finding} from '../../source/engine/step.js';
import {progressLine, waitForHelmChart} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {runnerSizing} from '../kit.js';
import {objectsStep} from '../kit-objects.js';
import {arcChart, githubConfigUrl, runnerNames, waitLimitMs} from './names.js';
import {checkedFirst} from './registration.js';

/** The values of ARC's gha-runner-scale-set chart: no container mode, so no docker-in-docker. */
export function scaleSetValues(input: Input): Record<string, unknown> {
	const {http, https, noProxy} = input.proxy;
	const proxy =
		http === undefined && https === undefined
			? {}
			: {
					proxy: {
						...(http ? {http: {url: http}} : {}),
						...(https ? {https: {url: https}} : {}),
						...(noProxy ? {noProxy: noProxy.split(',')} : {}),
					},
				};
	return {
		githubConfigUrl: githubConfigUrl(input),
		githubConfigSecret: runnerNames.tokenSecret,
		runnerScaleSetName: input.runner.scaleSetName,
		...runnerSizing(input),
		...proxy,
		template: {
			spec: {
				containers: [
					{
						name: 'runner',
						image: pins.runnerImage,
						// Required once the template names the container: the image has no entrypoint of its own.
						command: ['/home/runner/run.sh'],
					},
				],
			},
		},
	};
}

async function sizingProblem({
	input,
}: {
	input: Input;
}): Promise<Finding | undefined> {
	const {minRunners, maxRunners} = runnerSizing(input);
	return minRunners > maxRunners
		? {
				kind: 'blocked',
				problem: `the runner minimum (${minRunners}) is above the maximum (${maxRunners})`,
				hint: 'Set CODEXK8S_RUNNER_MIN at most CODEXK8S_RUNNER_MAX (runner.min / runner.max in the config file).',
			}
		: undefined;
}

/**
 * The runner scale set, a HelmChart released under the scale set's name. Its name is the
 * workflow's `runs-on` label, so a job of the deploy workflow lands on it.
 */
export const runnerScaleSet = checkedFirst(
	objectsStep({
		id: 'runner.scale-set',
		phase: 'runner',
		title: 'Runner scale set',
		// Uninstalling the chart deregisters the scale set: GitHub forgets its runners before k3s goes.
		removeObjects: true,
		requires: ['cluster'],
		inputs: input => ({
			name: input.runner.scaleSetName,
			namespace: input.runner.namespace,
			...runnerSizing(input),
			chart: pins.arcChart,
			image: pins.runnerImage,
		}),
		runbook: input => ({
			check: [
				`kubectl -n ${input.runner.namespace} get autoscalingrunnersets,ephemeralrunners,pods`,
				`gh api repos/${input.github.repo ?? 'OWNER/REPO'}/actions/runners --jq '.runners[] | [.name, .status] | @tsv'`,
			],
			fix: [
				'see "Stuck runners" below; codex-k8s-install install --only runner',
			],
		}),
		describe(input) {
			const {minRunners, maxRunners} = runnerSizing(input);
			return [
				`ARC's gha-runner-scale-set chart ${pins.arcChart} as HelmChart ${runnerNames.chartNamespace}/${input.runner.scaleSetName} into ${input.runner.namespace}: runners for ${githubConfigUrl(input)} labelled ${input.runner.scaleSetName}`,
				minRunners === maxRunners
					? `${minRunners} runner always warm, long-polling GitHub (nothing inbound)`
					: `${minRunners} to ${maxRunners} runners, started as jobs arrive`,
				`runner image ${pins.runnerImage}; no docker-in-docker: images are built by BuildKit Jobs`,
			];
		},
		objects: ({input}) => [
			arcChart(
				input.runner.scaleSetName,
				'gha-runner-scale-set',
				input.runner.namespace,
				scaleSetValues(input),
			),
		],
		async ready(kube, context) {
			await waitForHelmChart(
				kube,
				runnerNames.chartNamespace,
				context.input.runner.scaleSetName,
				{
					limitMs: waitLimitMs(context.input),
					signal: context.signal,
					progress(event) {
						context.output(progressLine(event));
					},
				},
			);
		},
	}),
	sizingProblem,
);
