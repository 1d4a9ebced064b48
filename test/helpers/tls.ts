import {execFileSync} from 'node:child_process';
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import type {AddressInfo} from 'node:net';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {createServer, type Server} from 'node:tls';

/**
 * A certificate authority of a test's own (openssl, P-256), which issues server certificates
 * for a name and a number of days; its certificate is what the test trusts instead of Node's.
 */
export type TestAuthority = {
	/** The authority's certificate (PEM). */
	ca: string;
	issue(name: string, days: number): {key: string; cert: string};
	dispose(): void;
};

const openssl = (directory: string, args: string[]) => {
	execFileSync('openssl', args, {cwd: directory, stdio: 'ignore'});
};

export function testAuthority(
	organization = 'codex-k8s-install test CA',
): TestAuthority {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-ca-'));
	const newKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
	openssl(directory, [
		'req',
		'-x509',
		...newKey,
		'-nodes',
		'-days',
		'30',
		'-subj',
		`/O=${organization}/CN=test root`,
		'-addext',
		'basicConstraints=critical,CA:TRUE',
		'-addext',
		'keyUsage=critical,keyCertSign,cRLSign',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
	]);
	let serial = 0;
	return {
		ca: readFileSync(join(directory, 'ca.pem'), 'utf8'),
		issue(name, days) {
			serial += 1;
			const base = `leaf-${serial}`;
			writeFileSync(
				join(directory, `${base}.ext`),
				`subjectAltName=DNS:${name}\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n`,
			);
			openssl(directory, [
				'req',
				'-new',
				...newKey,
				'-nodes',
				'-subj',
				`/CN=${name}`,
				'-keyout',
				`${base}.key`,
				'-out',
				`${base}.csr`,
			]);
			openssl(directory, [
				'x509',
				'-req',
				'-in',
				`${base}.csr`,
				'-CA',
				'ca.pem',
				'-CAkey',
				'ca.key',
				'-set_serial',
				String(serial),
				'-days',
				String(days),
				'-extfile',
				`${base}.ext`,
				'-out',
				`${base}.pem`,
			]);
			return {
				key: readFileSync(join(directory, `${base}.key`), 'utf8'),
				cert: readFileSync(join(directory, `${base}.pem`), 'utf8'),
			};
		},
		dispose() {
			rmSync(directory, {recursive: true, force: true});
		},
	};
}

/** A TLS server on 127.0.0.1 that presents `certificate` and closes each connection after the handshake. */
export async function startTlsServer(certificate: {
	key: string;
	cert: string;
}): Promise<{port: number; close(): Promise<void>}> {
	const server: Server = createServer(certificate, socket => {
		socket.end();
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	return {
		port: (server.address() as AddressInfo).port,
		async close() {
			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
		},
	};
}
