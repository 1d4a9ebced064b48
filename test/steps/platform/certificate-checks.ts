// The server mode's certificate checks. In the cluster: cert-manager's Certificate (its CRD from
// the real cert-manager chart, installed by the test cluster's helm-controller) Ready, not Ready
// and about to end; no cert-manager controller runs here (no ACME), so the test writes the status
// it would. From the laptop: a real TLS handshake with a local server whose certificates come
// from a test authority, trusted in its place.
import test from 'ava';
import {runCheck} from '../../../source/engine/check.js';
import {
	apply,
	type Kube,
	waitForHelmChart,
} from '../../../source/kube/index.js';
import {certManagerChart} from '../../../steps/cluster/cert-manager.js';
import {
	certificateCheckWith,
	certificateIssuedCheck,
	expiryMarginDays,
} from '../../../steps/platform/certificate-checks.js';
import {names} from '../../../steps/platform/names.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {serverInput} from '../../helpers/cluster-objects.js';
import {fakeContext} from '../../helpers/fake-steps.js';
import {kubeOf} from '../../helpers/kube.js';
import {startTlsServer, testAuthority} from '../../helpers/tls.js';

const clusterTest = clusterTests();
const domain = 'staging.example.com';
const input = serverInput();
const {namespace} = input.platform;
const dayMs = 86_400_000;
const path = `/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/${names.tlsSecret}`;

/** What cert-manager's controller writes once it issued (or failed to issue) the certificate. */
async function certificateStatus(
	kube: Kube,
	ready: {status: 'True' | 'False'; reason: string; message: string},
	notAfter?: Date,
): Promise<void> {
	await kube.request('PATCH', `${path}/status`, {
		body: {
			status: {
				conditions: [
					{
						type: 'Ready',
						...ready,
						lastTransitionTime: new Date().toISOString(),
					},
				],
				...(notAfter
					? {notAfter: notAfter.toISOString().replace(/\.\d+Z$/, 'Z')}
					: {}),
			},
		},
		contentType: 'application/merge-patch+json',
		query: {fieldManager: 'cert-manager-stand-in'},
	});
}

clusterTest(
	'the Certificate of the domain: absent before the platform, missing, not Ready with its reason, Ready, about to end',
	async (t, cluster) => {
		t.timeout(10 * 60_000);
		const kube = await kubeOf(cluster);
		const context = fakeContext({
			kube: async () => kube,
			phases: ['platform'],
			input,
		});
		const before = await runCheck(certificateIssuedCheck, context);
		t.is(before.status, 'absent', 'no platform namespace yet');

		await apply(kube, certManagerChart(), {force: true});
		await waitForHelmChart(kube, 'kube-system', 'cert-manager', {
			limitMs: 8 * 60_000,
			signal: new AbortController().signal,
		});
		await apply(kube, {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name: namespace},
		});
		t.deepEqual(await runCheck(certificateIssuedCheck, context), {
			status: 'failed',
			detail: `no Certificate ${namespace}/${names.tlsSecret}: cert-manager did not pick up the Ingress (is it running?)`,
		});

		// As the Ingress's ingress-shim makes it.
		await apply(kube, {
			apiVersion: 'cert-manager.io/v1',
			kind: 'Certificate',
			metadata: {name: names.tlsSecret, namespace},
			spec: {
				secretName: names.tlsSecret,
				dnsNames: [domain],
				issuerRef: {
					name: names.clusterIssuer,
					kind: 'ClusterIssuer',
					group: 'cert-manager.io',
				},
			},
		});
		t.deepEqual(await runCheck(certificateIssuedCheck, context), {
			status: 'failed',
			detail: `Certificate ${namespace}/${names.tlsSecret} not Ready: cert-manager has not issued it yet`,
		});

		await certificateStatus(kube, {
			status: 'False',
			reason: 'Failed',
			message:
				'The certificate request has failed to complete and will be retried: 403 urn:ietf:params:acme:error:unauthorized',
		});
		const refused = await runCheck(certificateIssuedCheck, context);
		t.is(refused.status, 'failed');
		t.regex(
			refused.detail,
			/not Ready: Failed: The certificate request has failed .*:unauthorized$/,
		);

		const in90Days = new Date(Date.now() + 90 * dayMs + 60_000);
		await certificateStatus(
			kube,
			{
				status: 'True',
				reason: 'Ready',
				message: 'Certificate is up to date and has not expired',
			},
			in90Days,
		);
		t.deepEqual(await runCheck(certificateIssuedCheck, context), {
			status: 'ok',
			detail: `Certificate ${namespace}/${names.tlsSecret} Ready, valid until ${in90Days.toISOString().slice(0, 10)} (90 days)`,
		});

		const soon = new Date(Date.now() + (expiryMarginDays - 4) * dayMs + 60_000);
		await certificateStatus(
			kube,
			{
				status: 'True',
				reason: 'Ready',
				message: 'Certificate is up to date and has not expired',
			},
			soon,
		);
		t.deepEqual(await runCheck(certificateIssuedCheck, context), {
			status: 'failed',
			detail: `Certificate ${namespace}/${names.tlsSecret} ends ${soon.toISOString().slice(0, 10)}, in ${expiryMarginDays - 4} days: cert-manager did not renew it`,
		});
	},
);

test('https://DOMAIN: a trusted certificate for the domain passes; near its end, for another name, from another authority or not answering does not', async t => {
	const authority = testAuthority();
	const stranger = testAuthority('someone else');
	t.teardown(() => {
		authority.dispose();
		stranger.dispose();
	});
	const context = fakeContext({input, phases: ['platform']});
	const served = async (certificate: {key: string; cert: string}) => {
		const server = await startTlsServer(certificate);
		t.teardown(async () => server.close());
		const check = certificateCheckWith({
			port: server.port,
			ca: authority.ca,
			address: '127.0.0.1',
		});
		return runCheck(check, context);
	};

	const good = await served(authority.issue(domain, 90));
	t.is(good.status, 'ok', `ok: ${good.detail}`);
	t.regex(
		good.detail,
		/^staging\.example\.com: issued by codex-k8s-install test CA, (89|90) days left$/,
	);

	const ending = await served(authority.issue(domain, 5));
	t.is(ending.status, 'failed');
	t.regex(ending.detail, /, [45] days left$/);

	const otherName = await served(authority.issue('other.example.com', 90));
	t.is(otherName.status, 'failed');
	t.regex(
		otherName.detail,
		/Hostname\/IP does not match certificate's altnames/,
	);

	const untrusted = await served(stranger.issue(domain, 90));
	t.is(untrusted.status, 'failed');
	t.regex(
		untrusted.detail,
		/unable to verify the first certificate|self.signed|unable to get local issuer/,
	);

	const closed = await startTlsServer(authority.issue(domain, 90));
	const {port} = closed;
	await closed.close();
	const silent = await runCheck(
		certificateCheckWith({port, ca: authority.ca, address: '127.0.0.1'}),
		context,
	);
	t.is(silent.status, 'absent');
	t.regex(
		silent.detail,
		new RegExp(
			String.raw`^staging\.example\.com:${port} does not answer \(connect ECONNREFUSED`,
		),
	);
});
