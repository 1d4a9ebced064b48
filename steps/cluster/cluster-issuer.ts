import type {Input} from '../../source/config/schema.js';
import {UserError} from '../../source/errors.js';
import {
	type KubeObject,
	waitForClusterIssuer,
} from '../../source/kube/index.js';
import {objectsStep} from '../kit-objects.js';
import {waitOptions} from './wait-options.js';

/** The issuer the platform's Ingress names (`cert-manager.io/cluster-issuer`). */
export const issuerName = 'codex-k8s-letsencrypt';

export const acmeServers = {
	production: 'https://acme-v02.api.letsencrypt.org/directory',
	staging: 'https://acme-staging-v02.api.letsencrypt.org/directory',
} as const;

/**
 * Let's Encrypt through HTTP-01 answered by k3s's Traefik. The e-mail is required in server mode
 * before anything connects (source/config/required.ts); an issuer without one is an invalid
 * object upstream once applied, so it is refused here too rather than sent.
 */
export function clusterIssuer(input: Input): KubeObject {
	if (!input.acmeEmail) {
		throw new UserError(
			`ClusterIssuer ${issuerName} needs the Let's Encrypt account e-mail`,
			{hint: 'Pass --acme-email (or CODEXK8S_ACME_EMAIL).'},
		);
	}

	return {
		apiVersion: 'cert-manager.io/v1',
		kind: 'ClusterIssuer',
		metadata: {name: issuerName},
		spec: {
			acme: {
				email: input.acmeEmail,
				server: acmeServers[input.acmeServer],
				privateKeySecretRef: {name: `${issuerName}-account-key`},
				solvers: [{http01: {ingress: {ingressClassName: 'traefik'}}}],
			},
		},
	};
}

export const clusterIssuerStep = objectsStep({
	id: 'cluster.cluster-issuer',
	phase: 'cluster',
	title: "Let's Encrypt issuer",
	when: input => input.mode === 'server',
	inputs: input => ({email: input.acmeEmail, server: input.acmeServer}),
	runbook: () => ({
		check: [`kubectl get clusterissuer ${issuerName} -o wide`],
		fix: [
			'see "Certificate failures" below; codex-k8s-install install --only cluster',
		],
	}),
	describe: input => [
		`ClusterIssuer ${issuerName}: Let's Encrypt ${input.acmeServer} (${acmeServers[input.acmeServer]}) for ${input.acmeEmail ?? 'the ACME e-mail'}, HTTP-01 through Traefik`,
		'waited until its ACME account is registered (Ready)',
	],
	objects: context => [clusterIssuer(context.input)],
	async ready(kube, context) {
		await waitForClusterIssuer(kube, issuerName, waitOptions(context));
	},
});
