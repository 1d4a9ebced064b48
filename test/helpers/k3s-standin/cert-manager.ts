import type {Kube} from '../../../source/kube/index.js';

/*
The test cluster installs cert-manager's chart (its CRDs and Deployments) but runs no controller,
and no ACME server is reachable: this plays cert-manager's part, as the real one ends when Let's
Encrypt answers. Every ClusterIssuer turns Ready (its ACME account registered); for every TLS
entry of an Ingress annotated with `cert-manager.io/cluster-issuer`, a Certificate is made as
cert-manager's ingress-shim makes it (named after the TLS Secret) and turns Ready, valid 90 days.
Status is written through the status subresource, as the controller writes it.
*/

const manager = {fieldManager: 'cert-manager-stand-in'};
const issuerAnnotation = 'cert-manager.io/cluster-issuer';

type Ready = {status?: {conditions?: Array<{type: string; status: string}>}};
type Ingress = {
	metadata: {
		name: string;
		namespace: string;
		annotations?: Record<string, string>;
	};
	spec: {tls?: Array<{hosts?: string[]; secretName?: string}>};
};

const isReady = (object: Ready | undefined) =>
	object?.status?.conditions?.some(
		condition => condition.type === 'Ready' && condition.status === 'True',
	) ?? false;

async function markReady(
	kube: Kube,
	path: string,
	reason: string,
	extra: Record<string, unknown> = {},
) {
	await kube.request('PATCH', `${path}/status`, {
		body: {
			status: {
				...extra,
				conditions: [
					{
						type: 'Ready',
						status: 'True',
						reason,
						message: 'stand-in',
						lastTransitionTime: new Date().toISOString(),
					},
				],
			},
		},
		contentType: 'application/merge-patch+json',
		query: manager,
	});
}

async function issuers(kube: Kube) {
	const list = await kube.read<{
		items: Array<Ready & {metadata: {name: string}}>;
	}>('/apis/cert-manager.io/v1/clusterissuers');
	for (const issuer of list?.items ?? []) {
		if (!isReady(issuer)) {
			// eslint-disable-next-line no-await-in-loop -- one or two issuers
			await markReady(
				kube,
				`/apis/cert-manager.io/v1/clusterissuers/${issuer.metadata.name}`,
				'ACMEAccountRegistered',
			);
		}
	}
}

async function certificates(kube: Kube) {
	const ingresses = await kube.read<{items: Ingress[]}>(
		'/apis/networking.k8s.io/v1/ingresses',
	);
	for (const ingress of ingresses?.items ?? []) {
		const issuer = ingress.metadata.annotations?.[issuerAnnotation];
		for (const tls of issuer ? (ingress.spec.tls ?? []) : []) {
			const {namespace} = ingress.metadata;
			const name = tls.secretName!;
			const path = `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/${name}`;
			// eslint-disable-next-line no-await-in-loop -- one ingress here
			const found = await kube.read<Ready>(path);
			if (!found) {
				// eslint-disable-next-line no-await-in-loop
				await kube.request(
					'POST',
					`/apis/cert-manager.io/v1/namespaces/${namespace}/certificates`,
					{
						body: {
							apiVersion: 'cert-manager.io/v1',
							kind: 'Certificate',
							metadata: {name, namespace},
							spec: {
								secretName: name,
								dnsNames: tls.hosts ?? [],
								issuerRef: {name: issuer, kind: 'ClusterIssuer'},
							},
						},
						query: manager,
					},
				);
			}

			if (!isReady(found)) {
				const now = Date.now();
				// eslint-disable-next-line no-await-in-loop
				await markReady(kube, path, 'Ready', {
					notBefore: new Date(now).toISOString(),
					notAfter: new Date(now + 90 * 86_400_000).toISOString(),
				});
			}
		}
	}
}

/** Plays cert-manager against the cluster until stopped. */
export function issueCertificates(kube: Kube): {stop(): void} {
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const look = () => {
		issuers(kube)
			.then(async () => certificates(kube))
			.catch(() => {
				// The cluster or cert-manager's CRDs are not there yet: look again.
			})
			.finally(() => {
				if (!stopped) {
					timer = setTimeout(look, 500);
				}
			});
	};

	look();
	return {
		stop() {
			stopped = true;
			clearTimeout(timer);
		},
	};
}
