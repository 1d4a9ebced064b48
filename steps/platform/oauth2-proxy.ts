import type {Input} from '../../source/config/schema.js';
import {pins} from '../../source/pins.js';
import {platformSecrets} from '../kit-secrets.js';
import {names, ports, publicBaseUrl} from './names.js';
import {
	type ComponentGroup,
	deployment,
	httpProbe,
	service,
} from './workloads.js';

/** Oauth2-proxy in front of the staff UI; webhooks pass without login. */
export function oauth2Proxy(input: Input): ComponentGroup {
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
