/**
 * The platform's object names, ports and labels, spelled once: upstream's (spec step 60), so an
 * installation upstream's tools look at finds what it expects.
 */

import type {Input} from '../../source/config/schema.js';
import type {PlatformComponent} from '../../source/config/platform-schema.js';

export const names = {
	deployResources: 'codex-k8s-deploy-resources',
	labelCatalog: 'codex-k8s-label-catalog',
	answers: 'codex-k8s-install-answers',
	postgresInit: 'codex-k8s-postgres-init',
	postgres: 'postgres',
	migrate: 'codex-k8s-migrate',
	apiGateway: 'codex-k8s',
	controlPlane: 'codex-k8s-control-plane',
	worker: 'codex-k8s-worker',
	oauth2Proxy: 'oauth2-proxy',
	ingress: 'codex-k8s',
	tlsSecret: 'codex-k8s-staging-tls',
	clusterIssuer: 'codex-k8s-letsencrypt',
} as const;

export const ports = {
	postgres: 5432,
	apiGatewayService: 80,
	apiGateway: 8080,
	controlPlaneGrpc: 9090,
	controlPlaneHttp: 8081,
	oauth2Proxy: 4180,
	/** The laptop's end of the `ssh -L` tunnel in local mode. */
	localTunnel: 8080,
} as const;

export const postgresDatabase = 'codex_k8s';
export const postgresUser = 'codex_k8s';

/** The node-local registry the cluster phase runs (hostNetwork, loopback only). */
export const registryHost = '127.0.0.1:5000';

/** Labels on everything the platform phase makes: `kubectl get all -l app.kubernetes.io/part-of=codex-k8s`. */
export const platformLabels = {
	'app.kubernetes.io/part-of': 'codex-k8s',
	'app.kubernetes.io/managed-by': 'codex-k8s-install',
} as const;

export function labelsOf(component?: string): Record<string, string> {
	return component
		? {...platformLabels, 'app.kubernetes.io/component': component}
		: {...platformLabels};
}

/** The selector of a component's pods: never changes once made (a Deployment's is immutable). */
export const selectorOf = (component: string) => ({
	'app.kubernetes.io/name': 'codex-k8s',
	'app.kubernetes.io/component': component,
});

/** `sha-<12 hex>`: the tag a commit's images get. */
export const tagOf = (sha: string) => `sha-${sha.slice(0, 12)}`;

export const imageOf = (component: PlatformComponent, sha: string) =>
	`${registryHost}/codex-k8s/${component}:${tagOf(sha)}`;

/** Staging's own address: the domain in server mode, the laptop's tunnel in local mode. */
export const publicBaseUrl = (input: Input) =>
	input.mode === 'server' && input.domain
		? `https://${input.domain}`
		: `http://localhost:${ports.localTunnel}`;
