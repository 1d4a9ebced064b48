import type {Input} from '../../source/config/schema.js';
import type {KubeObject} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {platformSecrets} from '../kit-secrets.js';
import {
	imageOf,
	labelsOf,
	names,
	ports,
	publicBaseUrl,
	selectorOf,
} from './names.js';

/** One component: its objects, applied together, and the Deployment whose rollout is waited. */
export type ComponentGroup = {
	component: string;
	deployment: string;
	objects: KubeObject[];
};

const platformEnv = [
	{secretRef: {name: platformSecrets.runtime}},
	{secretRef: {name: platformSecrets.postgres}},
	{configMapRef: {name: names.deployResources}},
];

const httpProbe = (path: string, port: number) => ({
	httpGet: {path, port},
	periodSeconds: 10,
	failureThreshold: 6,
});

function service(
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

function deployment(
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

const waitFor = (what: string, script: string) => ({
	name: `wait-for-${what}`,
	image: pins.busyboxImage,
	command: ['sh', '-c', script],
});

function controlPlane(input: Input, sha: string): ComponentGroup {
	return {
		component: 'control-plane',
		deployment: names.controlPlane,
		objects: [
			service(input, names.controlPlane, 'control-plane', [
				{
					name: 'grpc',
					port: ports.controlPlaneGrpc,
					targetPort: ports.controlPlaneGrpc,
				},
				{
					name: 'http',
					port: ports.controlPlaneHttp,
					targetPort: ports.controlPlaneHttp,
				},
			]),
			deployment(
				input,
				{name: names.controlPlane, component: 'control-plane'},
				{
					initContainers: [
						waitFor(
							'postgres',
							`until nc -z ${names.postgres} ${ports.postgres}; do echo waiting for postgres; sleep 2; done`,
						),
					],
					containers: [
						{
							name: 'control-plane',
							image: imageOf('control-plane', sha),
							envFrom: platformEnv,
							ports: [
								{name: 'grpc', containerPort: ports.controlPlaneGrpc},
								{name: 'http', containerPort: ports.controlPlaneHttp},
							],
							readinessProbe: httpProbe(
								'/health/readyz',
								ports.controlPlaneHttp,
							),
							livenessProbe: httpProbe('/health/livez', ports.controlPlaneHttp),
						},
					],
				},
			),
		],
	};
}

function apiGateway(input: Input, sha: string): ComponentGroup {
	return {
		component: 'api-gateway',
		deployment: names.apiGateway,
		objects: [
			service(input, names.apiGateway, 'api-gateway', [
				{
					name: 'http',
					port: ports.apiGatewayService,
					targetPort: ports.apiGateway,
				},
			]),
			deployment(
				input,
				{name: names.apiGateway, component: 'api-gateway'},
				{
					initContainers: [
						waitFor(
							'control-plane',
							`until wget -q -O /dev/null http://${names.controlPlane}:${ports.controlPlaneHttp}/health/readyz; do echo waiting for the control plane; sleep 2; done`,
						),
					],
					containers: [
						{
							name: 'api-gateway',
							image: imageOf('api-gateway', sha),
							envFrom: platformEnv,
							ports: [{name: 'http', containerPort: ports.apiGateway}],
							readinessProbe: httpProbe('/readyz', ports.apiGateway),
							livenessProbe: httpProbe('/healthz', ports.apiGateway),
						},
					],
				},
			),
		],
	};
}

const everyVerb = [
	'get',
	'list',
	'watch',
	'create',
	'update',
	'patch',
	'delete',
];

function worker(input: Input, sha: string): ComponentGroup {
	const {namespace} = input.platform;
	const role = `${names.worker}-runtime-${namespace}`;
	return {
		component: 'worker',
		deployment: names.worker,
		objects: [
			{
				apiVersion: 'v1',
				kind: 'ServiceAccount',
				metadata: {name: names.worker, namespace, labels: labelsOf('worker')},
			},
			{
				apiVersion: 'rbac.authorization.k8s.io/v1',
				kind: 'ClusterRole',
				metadata: {name: role, labels: labelsOf('worker')},
				// The worker makes a namespace per run with its own account, role and quota.
				rules: [
					{apiGroups: [''], resources: ['namespaces'], verbs: everyVerb},
					{
						apiGroups: ['rbac.authorization.k8s.io'],
						resources: ['roles', 'rolebindings'],
						verbs: [...everyVerb, 'escalate', 'bind'],
					},
					{
						apiGroups: [''],
						resources: [
							'serviceaccounts',
							'resourcequotas',
							'limitranges',
							'pods',
							'pods/log',
							'secrets',
							'configmaps',
							'services',
							'events',
						],
						verbs: everyVerb,
					},
					{apiGroups: ['batch'], resources: ['jobs'], verbs: everyVerb},
				],
			},
			{
				apiVersion: 'rbac.authorization.k8s.io/v1',
				kind: 'ClusterRoleBinding',
				metadata: {name: role, labels: labelsOf('worker')},
				roleRef: {
					apiGroup: 'rbac.authorization.k8s.io',
					kind: 'ClusterRole',
					name: role,
				},
				subjects: [{kind: 'ServiceAccount', name: names.worker, namespace}],
			},
			deployment(
				input,
				{name: names.worker, component: 'worker'},
				{
					serviceAccountName: names.worker,
					containers: [
						{
							name: 'worker',
							image: imageOf('worker', sha),
							envFrom: platformEnv,
							env: [
								{
									name: 'CODEXK8S_WORKER_JOB_IMAGE',
									value: imageOf('agent-runner', sha),
								},
							],
						},
					],
				},
			),
		],
	};
}

function oauth2Proxy(input: Input): ComponentGroup {
	const base = publicBaseUrl(input);
	const secure = input.mode === 'server';
	const fromSecret = (name: string, key: string) => ({
		name,
		valueFrom: {secretKeyRef: {name: platformSecrets.oauth2Proxy, key}},
	});
	return {
		component: 'oauth2-proxy',
		deployment: names.oauth2Proxy,
		objects: [
			service(input, names.oauth2Proxy, 'oauth2-proxy', [
				{name: 'http', port: ports.oauth2Proxy, targetPort: ports.oauth2Proxy},
			]),
			deployment(
				input,
				{name: names.oauth2Proxy, component: 'oauth2-proxy', replicas: 1},
				{
					containers: [
						{
							name: 'oauth2-proxy',
							image: pins.oauth2ProxyImage,
							args: [
								'--provider=github',
								`--http-address=0.0.0.0:${ports.oauth2Proxy}`,
								`--upstream=http://${names.apiGateway}`,
								'--email-domain=*',
								'--pass-host-header=true',
								'--skip-auth-regex=^/api/v1/webhooks/.*',
								'--set-xauthrequest=true',
								'--reverse-proxy=true',
							],
							// What differs between the modes is in named variables: the plan shows each.
							env: [
								{
									name: 'OAUTH2_PROXY_REDIRECT_URL',
									value: `${base}/oauth2/callback`,
								},
								{name: 'OAUTH2_PROXY_COOKIE_SECURE', value: String(secure)},
								fromSecret('OAUTH2_PROXY_CLIENT_ID', 'OAUTH2_PROXY_CLIENT_ID'),
								fromSecret(
									'OAUTH2_PROXY_CLIENT_SECRET',
									'OAUTH2_PROXY_CLIENT_SECRET',
								),
								fromSecret(
									'OAUTH2_PROXY_COOKIE_SECRET',
									'OAUTH2_PROXY_COOKIE_SECRET',
								),
							],
							ports: [{name: 'http', containerPort: ports.oauth2Proxy}],
							readinessProbe: httpProbe('/ping', ports.oauth2Proxy),
							livenessProbe: httpProbe('/ping', ports.oauth2Proxy),
						},
					],
				},
			),
		],
	};
}

/** The components in rollout order: control-plane → api-gateway → worker → oauth2-proxy. */
export const componentGroups = (
	input: Input,
	sha: string,
): ComponentGroup[] => [
	controlPlane(input, sha),
	apiGateway(input, sha),
	worker(input, sha),
	oauth2Proxy(input),
];
