import type {Input} from '../../source/config/schema.js';
import {webUrl} from '../../source/github/client.js';
import type {KubeObject} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';

/** Every name the runner phase gives an object, spelled once. */
export const runnerNames = {
	/** Where k3s's helm-controller reads HelmCharts. */
	chartNamespace: 'kube-system',
	controllerNamespace: 'actions-runner-system',
	controllerRelease: 'gha-rs-controller',
	/** The label ARC's controller chart puts on its Deployment. */
	controllerLabel: 'app.kubernetes.io/part-of=gha-rs-controller',
	tokenSecret: 'gha-runner-scale-set-secret',
	deployerRole: 'codex-k8s-staging-deployer',
	deployerClusterRole: 'codex-k8s-staging-deployer-cluster',
} as const;

/** Labels of what the runner phase makes, so an operator finds it all with one selector. */
export const runnerLabels = {
	'app.kubernetes.io/part-of': 'codex-k8s',
	'app.kubernetes.io/component': 'github-runner',
	'app.kubernetes.io/managed-by': 'codex-k8s-install',
};

/** ARC registers repository-scoped runners with the repository's web address. */
export function githubConfigUrl(input: Input): string {
	return webUrl(input.github.apiUrl, input.github.repo ?? '');
}

/** A k3s HelmChart for one of ARC's charts, at the pinned version. */
export function arcChart(
	name: string,
	chart: 'gha-runner-scale-set-controller' | 'gha-runner-scale-set',
	targetNamespace: string,
	values: Record<string, unknown> = {},
): KubeObject {
	return {
		apiVersion: 'helm.cattle.io/v1',
		kind: 'HelmChart',
		metadata: {
			name,
			namespace: runnerNames.chartNamespace,
			labels: runnerLabels,
		},
		spec: {
			chart: `${pins.arcCharts}/${chart}`,
			version: pins.arcChart,
			targetNamespace,
			createNamespace: true,
			values,
		},
	};
}

/** How long the runner phase waits for what it installed. */
export const waitLimitMs = (input: Input) => input.timeouts.rollout * 1000;
