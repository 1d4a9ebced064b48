import {
	type KubeObject,
	waitForHelmChart,
	waitForRollout,
} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {objectsStep} from '../kit-objects.js';
import {k3sNamespace, waitOptions} from './wait-options.js';

export const certManagerNamespace = 'cert-manager';

/** The Deployments cert-manager's chart makes; the issuer is usable once all three run. */
export const certManagerDeployments = [
	'cert-manager',
	'cert-manager-cainjector',
	'cert-manager-webhook',
] as const;

/**
 * The cert-manager chart as a k3s HelmChart: k3s's helm-controller installs it at the pinned chart version,
 * its CRDs with it (`crds.enabled`), into a namespace of its own.
 */
export function certManagerChart(): KubeObject {
	const {repo, chart, version} = pins.certManager;
	return {
		apiVersion: 'helm.cattle.io/v1',
		kind: 'HelmChart',
		metadata: {name: chart, namespace: k3sNamespace},
		spec: {
			repo,
			chart,
			version,
			targetNamespace: certManagerNamespace,
			createNamespace: true,
			valuesContent: 'crds:\n  enabled: true\n',
		},
	};
}

export const certManagerStep = objectsStep({
	id: 'cluster.cert-manager',
	phase: 'cluster',
	title: 'cert-manager',
	// Local mode has no public name to certify.
	when: input => input.mode === 'server',
	inputs: () => pins.certManager,
	runbook: () => ({
		check: [
			`kubectl -n ${certManagerNamespace} get pods; kubectl -n ${k3sNamespace} get helmchart ${pins.certManager.chart}`,
		],
		fix: [
			'codex-k8s-install install --only cluster; see "Certificate failures" below',
		],
	}),
	describe: () => [
		`HelmChart ${k3sNamespace}/${pins.certManager.chart}: cert-manager ${pins.certManager.version} from ${pins.certManager.repo} with its CRDs, in namespace ${certManagerNamespace}`,
	],
	objects: () => [certManagerChart()],
	async ready(kube, context) {
		const options = waitOptions(context);
		await waitForHelmChart(kube, k3sNamespace, pins.certManager.chart, options);
		for (const name of certManagerDeployments) {
			// eslint-disable-next-line no-await-in-loop -- one progress line at a time
			await waitForRollout(
				kube,
				{kind: 'Deployment', namespace: certManagerNamespace, name},
				options,
			);
		}
	},
});
