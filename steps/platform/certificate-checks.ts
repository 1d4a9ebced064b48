import type {Input} from '../../source/config/schema.js';
import type {Check, CheckOutcome} from '../../source/engine/check.js';
import {conditionOf, type KubeObject} from '../../source/kube/index.js';
import {type CertificateProbe, certificateOf} from '../../source/local/tls.js';
import {inNamespace} from './in-namespace.js';
import {names} from './names.js';

/** A certificate closer than this to its end is a failure: renewal did not happen. */
export const expiryMarginDays = 14;

const dayMs = 86_400_000;

const certificateWanted = (input: Input) =>
	input.mode === 'server' && input.domain !== undefined;

type CertificateStatus = {notAfter?: string};

/** What cert-manager's Certificate says: issued (Ready) and not about to end, or why not. */
export function certificateVerdict(
	certificate: KubeObject,
	now: number,
): CheckOutcome {
	const name = `Certificate ${certificate.metadata.namespace ?? ''}/${certificate.metadata.name}`;
	const ready = conditionOf(certificate, 'Ready');
	if (ready?.status !== 'True') {
		const why = [ready?.reason, ready?.message].filter(Boolean).join(': ');
		return {
			status: 'failed',
			detail: `${name} not Ready: ${why || 'cert-manager has not issued it yet'}`,
		};
	}

	const status = certificate.status as CertificateStatus | undefined;
	const notAfter = Date.parse(status?.notAfter ?? '');
	if (Number.isNaN(notAfter)) {
		return {status: 'ok', detail: `${name} Ready`};
	}

	const days = Math.floor((notAfter - now) / dayMs);
	const until = new Date(notAfter).toISOString().slice(0, 10);
	return days >= expiryMarginDays
		? {
				status: 'ok',
				detail: `${name} Ready, valid until ${until} (${days} days)`,
			}
		: {
				status: 'failed',
				detail: `${name} ends ${until}, in ${days} days: cert-manager did not renew it`,
			};
}

/**
 * Server mode, in the cluster: cert-manager issued the certificate of the domain (the Ingress's
 * ingress-shim names it after the TLS Secret) and keeps renewing it. It says why when the HTTPS
 * check below fails: not issued (an ACME challenge refused, DNS, port 80), or not renewed.
 */
export const certificateIssuedCheck: Check = {
	id: 'platform.certificate-issued',
	phase: 'platform',
	title: 'Certificate issued',
	proves: `cert-manager's Certificate ${names.tlsSecret} for the domain is Ready and valid ${expiryMarginDays} more days`,
	runbookSection: 'Certificate failures',
	reach: 'cluster',
	when: certificateWanted,
	async run(context) {
		return inNamespace(context, async (kube, namespace) => {
			const certificate = await kube.read<KubeObject>(
				`/apis/cert-manager.io/v1/namespaces/${namespace}/certificates/${names.tlsSecret}`,
				context.signal,
			);
			return certificate
				? certificateVerdict(certificate, Date.now())
				: {
						status: 'failed',
						detail: `no Certificate ${namespace}/${names.tlsSecret}: cert-manager did not pick up the Ingress (is it running?)`,
					};
		});
	},
};

/**
 * Server mode, from where `status` runs: https://DOMAIN presents a certificate a browser trusts
 * for the domain, not about to end. `probe` is for tests (their own port, authority and address).
 */
export function certificateCheckWith(
	probe: Omit<CertificateProbe, 'timeoutMs'> = {},
): Check {
	return {
		id: 'platform.certificate',
		phase: 'platform',
		title: 'HTTPS certificate valid',
		proves: `https://DOMAIN presents a certificate trusted for the domain, valid for ${expiryMarginDays} more days`,
		runbookSection: 'Certificate failures',
		reach: 'local',
		when: certificateWanted,
		async run(context) {
			const domain = context.input.domain!;
			const port = probe.port ?? 443;
			const certificate = await certificateOf(domain, probe);
			if (certificate.kind === 'unreachable') {
				return {
					status: 'absent',
					detail: `${domain}:${port} does not answer (${certificate.reason})`,
				};
			}

			if (certificate.kind === 'untrusted') {
				return {status: 'failed', detail: `${domain}: ${certificate.reason}`};
			}

			const days = Math.floor((certificate.validTo - Date.now()) / dayMs);
			return {
				status: days >= expiryMarginDays ? 'ok' : 'failed',
				detail: `${domain}: issued by ${certificate.issuer}, ${days} days left`,
			};
		},
	};
}

export const certificateCheck = certificateCheckWith();
