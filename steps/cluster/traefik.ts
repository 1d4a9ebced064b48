import type {Input} from '../../source/config/schema.js';
import {
	type KubeObject,
	waitForHelmChart,
	waitForRollout,
} from '../../source/kube/index.js';
import {objectsStep} from '../kit-objects.js';
import {k3sNamespace, waitOptions} from './wait-options.js';

/** K3s names its bundled Traefik chart, release and Deployment `traefik`. */
export const traefikName = 'traefik';

/**
 * Traefik's values over k3s's own (a HelmChartConfig is merged last). Server mode: the Service is
 * a LoadBalancer that k3s's ServiceLB publishes on the node's 80/443, and the `web` entry point
 * redirects to `websecure`. Local mode has no public name: a ClusterIP Service, nothing published.
 * The redirect is given as Traefik arguments, which every chart release passes on unchanged (the
 * chart's own redirect values were renamed between releases k3s bundled).
 */
export function traefikValues(input: Input): Record<string, unknown> {
	if (input.mode !== 'server') {
		return {service: {type: 'ClusterIP'}};
	}

	return {
		service: {type: 'LoadBalancer'},
		additionalArguments: [
			'--entryPoints.web.http.redirections.entryPoint.to=websecure',
			'--entryPoints.web.http.redirections.entryPoint.scheme=https',
			'--entryPoints.web.http.redirections.entryPoint.permanent=true',
		],
	};
}

export function traefikConfig(input: Input): KubeObject {
	return {
		apiVersion: 'helm.cattle.io/v1',
		kind: 'HelmChartConfig',
		metadata: {name: traefikName, namespace: k3sNamespace},
		// JSON is YAML: the values travel as one document helm-controller parses.
		spec: {
			valuesContent: `${JSON.stringify(traefikValues(input), undefined, 2)}\n`,
		},
	};
}

export const traefikStep = objectsStep({
	id: 'cluster.traefik',
	phase: 'cluster',
	title: 'Ingress (Traefik bundled with k3s)',
	inputs: input => ({mode: input.mode}),
	runbook: () => ({
		check: [
			`kubectl -n ${k3sNamespace} get helmchartconfig ${traefikName}; kubectl -n ${k3sNamespace} get svc,pods -l app.kubernetes.io/name=traefik`,
		],
		fix: ['codex-k8s-install install --only cluster'],
	}),
	describe: input =>
		input.mode === 'server'
			? [
					`HelmChartConfig ${k3sNamespace}/${traefikName}: k3s's Traefik published on 80 and 443 through ServiceLB, HTTP redirected to HTTPS`,
				]
			: [
					`HelmChartConfig ${k3sNamespace}/${traefikName}: k3s's Traefik reachable inside the cluster only (nothing published)`,
				],
	objects: context => [traefikConfig(context.input)],
	async ready(kube, context) {
		const options = waitOptions(context);
		await waitForHelmChart(kube, k3sNamespace, traefikName, options);
		await waitForRollout(
			kube,
			{kind: 'Deployment', namespace: k3sNamespace, name: traefikName},
			options,
		);
	},
});
