/** What the platform's Deployments share: the group type, Services, Deployments, probes. */

import type {Input} from '../../source/config/schema.js';
import type {KubeObject} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {platformSecrets} from '../kit-secrets.js';
import {labelsOf, names, selectorOf} from './names.js';

export type ComponentGroup = {
	component: string;
	deployment: string;
	objects: KubeObject[];
};

export const platformEnv = [
	{secretRef: {name: platformSecrets.runtime}},
	{secretRef: {name: platformSecrets.postgres}},
	{configMapRef: {name: names.deployResources}},
];

export const httpProbe = (path: string, port: number) => ({
	httpGet: {path, port},
	periodSeconds: 10,
	failureThreshold: 6,
});

export function service(
	input: Input,
	name: string,
	component: string,
	servicePorts: Array<{name: string; port: number; targetPort: number}>,
): KubeObject {
	return {
		apiVersion: 'v1',
		kind: 'Service',
		metadata: {
			name,
			namespace: input.platform.namespace,
			labels: labelsOf(component),
		},
		spec: {selector: selectorOf(component), ports: servicePorts},
	};
}

export function deployment(
	input: Input,
	{
		name,
		component,
		replicas = input.platform.replicas,
	}: {name: string; component: string; replicas?: number},
	pod: Record<string, unknown>,
): KubeObject {
	const selector = selectorOf(component);
	return {
		apiVersion: 'apps/v1',
		kind: 'Deployment',
		metadata: {
			name,
			namespace: input.platform.namespace,
			labels: labelsOf(component),
		},
		spec: {
			replicas,
			selector: {matchLabels: selector},
			template: {
				metadata: {labels: {...labelsOf(component), ...selector}},
				spec: pod,
			},
		},
	};
}

export const waitFor = (what: string, script: string) => ({
	name: `wait-for-${what}`,
	image: pins.busyboxImage,
	command: ['sh', '-c', script],
});
