import {connect} from 'node:tls';

export type CertificateView =
	| {kind: 'valid'; validTo: number; issuer: string}
	| {kind: 'untrusted'; reason: string}
	| {kind: 'unreachable'; reason: string};

export type CertificateProbe = {
	port?: number;
	timeoutMs?: number;
	/** Certificate authorities to trust instead of Node's (tests bring their own). */
	ca?: string;
	/** Where to connect instead of the name's address; the certificate is still checked for the name. */
	address?: string;
};

/**
 * The certificate `host` presents (port 443 unless told), checked as a browser would (trusted
 * chain, the name matches), with its end date; nothing is sent beyond the handshake.
 */
export async function certificateOf(
	host: string,
	{port = 443, timeoutMs = 5000, ca, address}: CertificateProbe = {},
): Promise<CertificateView> {
	return new Promise(resolve => {
		const socket = connect({
			host: address ?? host,
			port,
			servername: host,
			// Node checks the certificate against `servername` when it is set: the name, not the address.
			...(ca ? {ca} : {}),
		});
		const done = (view: CertificateView) => {
			socket.destroy();
			resolve(view);
		};

		socket.setTimeout(timeoutMs, () => {
			done({kind: 'unreachable', reason: 'no answer'});
		});
		socket.once('secureConnect', () => {
			const peer = socket.getPeerCertificate();
			const issuer = [peer.issuer?.O, peer.issuer?.CN].flat().find(Boolean);
			done({
				kind: 'valid',
				validTo: Date.parse(peer.valid_to),
				issuer: issuer ?? 'unknown issuer',
			});
		});
		socket.once('error', (error: NodeJS.ErrnoException) => {
			const code = error.code ?? '';
			done(
				/CERT|SELF_SIGNED|ERR_TLS|UNABLE_TO/.test(code)
					? {kind: 'untrusted', reason: error.message}
					: {kind: 'unreachable', reason: error.message},
			);
		});
	});
}
