import {spawnSync} from 'node:child_process';
import {once} from 'node:events';
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {bin, type CliCommand} from '../cli.js';
import type {Guest} from '../guest/with-guest.js';
import {serveInGuestNetwork} from './netns-server.js';

/*
Server mode's public side, which the test cluster cannot run: Traefik terminating TLS on the
guest's port 443 with the certificate cert-manager got for the domain, in front of the platform.
A test CA signs a certificate for the domain; an HTTPS server in the guest's network namespace
serves it on 443 (so the host firewall decides whether it is reachable, as for Traefik) and
answers as the platform does where the installer looks: a webhook delivery with a wrong signature
gets 401. The laptop's command trusts the test CA (NODE_EXTRA_CA_CERTS) and resolves the domain to
the guest through its own /etc/hosts, bind-mounted in a mount namespace of its own, so this
machine's resolver is not touched.
*/

const server = `
const https = require('node:https');
const fs = require('node:fs');
const [key, cert] = process.argv.slice(1);
https.createServer({key: fs.readFileSync(key), cert: fs.readFileSync(cert)}, (request, response) => {
	const webhook = request.url === '/api/v1/webhooks/github';
	response.writeHead(webhook ? 401 : 200, {'content-type': 'text/plain'});
	response.end(webhook ? 'bad signature' : 'ok');
}).listen(443, '0.0.0.0', () => console.log('listening'));
`;

export type PublicFront = {
	/** The command line the laptop runs the built CLI with. */
	command: CliCommand;
	/** The environment it needs: the test CA trusted. */
	env: Record<string, string>;
	stop(): Promise<void>;
};

function openssl(directory: string, args: string[]) {
	const result = spawnSync('openssl', args, {cwd: directory, encoding: 'utf8'});
	if (result.status !== 0) {
		throw new Error(`openssl ${args[0]}: ${result.stderr}`);
	}
}

/** A test CA and a certificate for `domain` it signed, valid 90 days. */
function certificates(domain: string) {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-front-'));
	openssl(directory, [
		'req',
		'-x509',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:P-256',
		'-nodes',
		'-keyout',
		'ca.key',
		'-out',
		'ca.pem',
		'-days',
		'90',
		'-subj',
		'/CN=codex-k8s-install test CA',
	]);
	writeFileSync(join(directory, 'san.ext'), `subjectAltName=DNS:${domain}\n`);
	openssl(directory, [
		'req',
		'-newkey',
		'ec',
		'-pkeyopt',
		'ec_paramgen_curve:P-256',
		'-nodes',
		'-keyout',
		'tls.key',
		'-out',
		'tls.csr',
		'-subj',
		`/CN=${domain}`,
	]);
	openssl(directory, [
		'x509',
		'-req',
		'-in',
		'tls.csr',
		'-CA',
		'ca.pem',
		'-CAkey',
		'ca.key',
		'-CAcreateserial',
		'-out',
		'tls.pem',
		'-days',
		'90',
		'-extfile',
		'san.ext',
	]);
	return directory;
}

export async function startPublicFront(
	guest: Guest,
	domain: string,
): Promise<PublicFront> {
	const directory = certificates(domain);
	const child = await serveInGuestNetwork(guest, server, [
		join(directory, 'tls.key'),
		join(directory, 'tls.pem'),
	]);
	const hosts = join(directory, 'hosts');
	writeFileSync(hosts, `127.0.0.1 localhost\n${guest.address} ${domain}\n`);
	return {
		command: [
			'unshare',
			'--mount',
			'--propagation',
			'private',
			'sh',
			'-c',
			`mount --bind ${hosts} /etc/hosts && exec "$@"`,
			'sh',
			process.execPath,
			bin,
		],
		env: {NODE_EXTRA_CA_CERTS: join(directory, 'ca.pem')},
		async stop() {
			if (child.exitCode === null) {
				const exited = once(child, 'exit');
				child.kill();
				await exited;
			}
		},
	};
}
