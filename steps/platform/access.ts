import type {Input} from '../../source/config/schema.js';
import type {Step, StepContext} from '../../source/engine/step.js';
import {
	type KubeObject,
	progressLine,
	waitForCertificate,
} from '../../source/kube/index.js';
import {kubeOf, verifyConverged} from '../kit.js';
import {objectsStep} from '../kit-objects.js';
import {labelsOf, names, ports} from './names.js';

export function ingressObject(input: Input): KubeObject {
	return {
		apiVersion: 'networking.k8s.io/v1',
		kind: 'Ingress',
		metadata: {
			name: names.ingress,
			namespace: input.platform.namespace,
			labels: labelsOf('ingress'),
			annotations: {'cert-manager.io/cluster-issuer': names.clusterIssuer},
		},
		spec: {
			ingressClassName: 'traefik',
			tls: [{hosts: [input.domain!], secretName: names.tlsSecret}],
			rules: [
				{
					host: input.domain!,
					http: {
						paths: [
							{
								path: '/',
								pathType: 'Prefix',
								backend: {
									service: {
										name: names.oauth2Proxy,
										port: {number: ports.oauth2Proxy},
									},
								},
							},
						],
					},
				},
			],
		},
	};
}

/**
 * `platform.ingress` (server mode): the domain through Traefik to oauth2-proxy, its certificate
 * from the `codex-k8s-letsencrypt` ClusterIssuer, waited until cert-manager issued it.
 */
export const platformIngress = objectsStep({
	id: 'platform.ingress',
	runbook: input => ({
		check: [
			`kubectl -n ${input.platform.namespace} get ingress codex-k8s; kubectl -n ${input.platform.namespace} get certificate codex-k8s-staging-tls`,
		],
		fix: [
			`kubectl -n ${input.platform.namespace} describe certificate codex-k8s-staging-tls; kubectl get challenges,orders -A`,
			'codex-k8s-install install --only platform',
		],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'HTTPS ingress',
	when: input => input.mode === 'server',
	inputs: input => input.domain,
	describe: input => [
		`Ingress ${input.platform.namespace}/${names.ingress} (class traefik): https://${input.domain ?? 'DOMAIN'}/ → oauth2-proxy, certificate ${names.tlsSecret} from ClusterIssuer ${names.clusterIssuer}`,
		'waited until the certificate is issued (Ready)',
	],
	objects: context => [ingressObject(context.input)],
	async ready(kube, context) {
		// Cert-manager's ingress-shim names the Certificate after the TLS Secret.
		await waitForCertificate(
			kube,
			context.input.platform.namespace,
			names.tlsSecret,
			{
				limitMs: context.input.timeouts.rollout * 1000,
				signal: context.signal,
				progress(event) {
					context.output(progressLine(event));
				},
			},
		);
	},
});

/** The command that opens the staff UI on the laptop, through the operator's SSH login. */
export function tunnelCommand(input: Input, clusterIp: string): string {
	const {host = 'HOST', port} = input.connection;
	const portFlag = port && port !== 22 ? ` -p ${port}` : '';
	return `ssh -N -L ${ports.localTunnel}:${clusterIp}:${ports.oauth2Proxy}${portFlag} ${input.operator.user}@${host}`;
}

/** The summary's line with the tunnel command, once oauth2-proxy's Service has its address. */
export async function tunnelLine(
	context: StepContext,
): Promise<string | undefined> {
	const kube = await kubeOf(context);
	const service = await kube.read<{spec?: {clusterIP?: string}}>(
		`/api/v1/namespaces/${context.input.platform.namespace}/services/${names.oauth2Proxy}`,
		context.signal,
	);
	const ip = service?.spec?.clusterIP;
	return ip
		? `open the staff UI at http://localhost:${ports.localTunnel}/ with: ${tunnelCommand(context.input, ip)}`
		: undefined;
}

const ingressPath = (input: Input) =>
	`/apis/networking.k8s.io/v1/namespaces/${input.platform.namespace}/ingresses/${names.ingress}`;

/** The Ingress a server-mode install made, when there is one (a switch back to local mode). */
async function leftIngress(context: StepContext): Promise<boolean> {
	const kube = await kubeOf(context);
	const ingress = await kube.read<KubeObject>(
		ingressPath(context.input),
		context.signal,
	);
	return (
		ingress?.metadata.labels?.['app.kubernetes.io/managed-by'] ===
		'codex-k8s-install'
	);
}

/**
 * `platform.tunnel` (local mode): nothing is published; the staff UI is reached through SSH. The
 * Service's cluster IP is routed on the node, so sshd on the host reaches it. An Ingress a
 * server-mode install made is deleted (its certificate's Secret stays, for a switch back).
 */
export const platformTunnel: Step = {
	id: 'platform.tunnel',
	runbook: input => ({
		check: [
			`kubectl -n ${input.platform.namespace} get service oauth2-proxy -o jsonpath='{.spec.clusterIP}'`,
		],
		fix: [
			`ssh -N -L 8080:<that address>:4180 ${input.operator.user}@${input.connection.host ?? 'HOST'}, then open http://localhost:8080/`,
		],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'Staff UI through SSH',
	reach: 'cluster',
	when: input => input.mode !== 'server',
	describe: input => [
		`no ingress (local mode): the summary prints the ssh -L command that opens the staff UI at http://localhost:${ports.localTunnel}/ through ${input.operator.user}'s SSH login`,
	],
	async check(context) {
		if (await leftIngress(context)) {
			return {
				kind: 'change',
				changes: [
					`delete Ingress ${context.input.platform.namespace}/${names.ingress}: local mode publishes nothing`,
				],
			};
		}

		const line = await tunnelLine(context);
		return {
			kind: 'done',
			note: line ?? 'the staff UI opens through SSH once oauth2-proxy runs',
		};
	},
	async apply(context) {
		const kube = await kubeOf(context);
		await kube.request('DELETE', ingressPath(context.input), {
			signal: context.signal,
		});
		return tunnelLine(context);
	},
	async verify(context) {
		await verifyConverged(platformTunnel, context);
	},
};
