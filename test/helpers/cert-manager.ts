import {apply, type Kube} from '../../source/kube/index.js';
import {certManagerChart} from '../../steps/cluster/cert-manager.js';
import {condition, waitFor} from './cluster.js';

/**
 * Cert-manager's CRDs from its chart (the cluster phase installs it in server mode) and the
 * platform's Certificate as its controller would leave it once issued: no ACME server is
 * reachable here.
 */
export async function issuedCertificate(
	kube: Kube,
	namespace: string,
	name: string,
) {
	await apply(kube, certManagerChart());
	await waitFor(
		'cert-manager’s Certificate CRD to be established',
		async () => {
			const crd = await kube.read<Parameters<typeof condition>[0]>(
				'/apis/apiextensions.k8s.io/v1/customresourcedefinitions/certificates.cert-manager.io',
			);
			return crd && condition(crd, 'Established')?.status === 'True'
				? true
				: undefined;
		},
	);
	const path = `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/${name}`;
	await waitFor('the Certificate to be made', async () => {
		try {
			await apply(kube, {
				apiVersion: 'cert-manager.io/v1',
				kind: 'Certificate',
				metadata: {name, namespace},
				spec: {
					secretName: name,
					dnsNames: ['staging.example.com'],
					issuerRef: {name: 'codex-k8s-letsencrypt', kind: 'ClusterIssuer'},
				},
			});
			return true;
		} catch {
			// Discovery may not serve the new kind yet.
			return undefined;
		}
	});
	await kube.request('PATCH', `${path}/status`, {
		body: {
			status: {
				conditions: [
					{
						type: 'Ready',
						status: 'True',
						reason: 'Ready',
						message: 'issued',
						lastTransitionTime: new Date().toISOString(),
					},
				],
			},
		},
		contentType: 'application/merge-patch+json',
		query: {fieldManager: 'cert-manager-stand-in'},
	});
}
