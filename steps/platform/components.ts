import type {Input} from '../../source/config/schema.js';
import {imageOf, names, ports} from './names.js';
import {oauth2Proxy} from './oauth2-proxy.js';
import {worker} from './worker.js';
import {
	type ComponentGroup,
	deployment,
	httpProbe,
	platformEnv,
	service,
	waitFor,
} from './workloads.js';

export type {ComponentGroup} from './workloads.js';

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
