/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment */
// API bodies and ssh2's client are loosely typed on purpose here; assertions check their shape.
// The test cluster stands in for `k3s server` on a real guest, reached the installer's way: the
// kubeconfig read over SSH, the API through an SSH-forwarded channel to the guest's 127.0.0.1:6443.
import {Buffer} from 'node:buffer';
import {chmod, copyFile} from 'node:fs/promises';
import {request} from 'node:https';
import path from 'node:path';
import type {Duplex} from 'node:stream';
import {connect as tlsConnect} from 'node:tls';
import {parse} from 'yaml';
import {
	apply,
	check,
	createKube,
	type KubeObject,
	sshTransport,
} from '../../source/kube/index.js';
import type {Client} from '../../source/remote/ssh2.js';
import {goBinary} from '../helpers/cluster/binary.js';
import {waitFor} from '../helpers/cluster/wait.js';
import {connectRoot, guestTest, withGuest} from '../helpers/guest/index.js';

type Credentials = {ca: string; cert: string; key: string};

/** The parts of k3s.yaml read here: its one cluster and one user. */
type K3sYaml = {
	clusters: [
		{
			name: string;
			cluster: {server: string; 'certificate-authority-data': string};
		},
	];
	users: [
		{user: {'client-certificate-data': string; 'client-key-data': string}},
	];
};

type Forwarder = Pick<Client, 'forwardOut'>;

/** GET over a channel the SSH server opens to its own 127.0.0.1:6443, with the kubeconfig's TLS. */
async function getThroughSsh(
	ssh: Forwarder,
	credentials: Credentials,
	apiPath: string,
): Promise<any> {
	const channel = await new Promise<Duplex>((resolve, reject) => {
		ssh.forwardOut('127.0.0.1', 0, '127.0.0.1', 6443, (error, stream) => {
			if (error) {
				reject(error);
			} else {
				resolve(stream);
			}
		});
	});
	const socket = tlsConnect({
		socket: channel,
		host: '127.0.0.1',
		...credentials,
	});
	return new Promise((resolve, reject) => {
		const outgoing = request(
			{
				host: '127.0.0.1',
				path: apiPath,

				createConnection: () => socket,
			},
			incoming => {
				const chunks: Uint8Array[] = [];
				incoming.on('data', (chunk: Uint8Array) => chunks.push(chunk));
				incoming.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					if (incoming.statusCode === 200) {
						resolve(JSON.parse(text));
					} else {
						reject(new Error(`GET ${apiPath}: ${incoming.statusCode} ${text}`));
					}
				});
			},
		);
		outgoing.on('error', reject);
		outgoing.end();
	});
}

guestTest(
	'the test cluster stands in for k3s on a guest: k3s.yaml and the API on 127.0.0.1:6443 over SSH',
	async t => {
		t.timeout(15 * 60_000);
		const binary = await goBinary('kcluster');
		await withGuest({}, async guest => {
			const k3s = path.join(guest.rootDir, 'usr/local/bin/k3s');
			await copyFile(binary, k3s);
			await chmod(k3s, 0o755);
			const started = await guest.exec(
				'setsid /usr/local/bin/k3s server --data-dir /var/lib/rancher/k3s --write-kubeconfig /etc/rancher/k3s/k3s.yaml --https-listen-port 6443 </dev/null >/var/log/k3s.log 2>&1 &',
			);
			t.is(started.code, 0, started.stderr);
			await waitFor(
				'k3s.yaml on the guest',
				async () => {
					const written = await guest.exec('test -s /etc/rancher/k3s/k3s.yaml');
					return written.code === 0 ? true : undefined;
				},
				5 * 60_000,
			);
			const root = await connectRoot(guest);
			try {
				const file = await root.ssh.execCommand(
					'cat /etc/rancher/k3s/k3s.yaml',
				);
				const kubeconfig = parse(file.stdout) as K3sYaml;
				t.is(kubeconfig.clusters[0].name, 'default');
				t.is(kubeconfig.clusters[0].cluster.server, 'https://127.0.0.1:6443');
				const fromBase64 = (text: string) =>
					Buffer.from(text, 'base64').toString('utf8');
				const credentials = {
					ca: fromBase64(
						kubeconfig.clusters[0].cluster['certificate-authority-data'],
					),
					cert: fromBase64(kubeconfig.users[0].user['client-certificate-data']),
					key: fromBase64(kubeconfig.users[0].user['client-key-data']),
				};
				const forwarder = root.ssh.connection as unknown as Forwarder;
				const nodes = await getThroughSsh(
					forwarder,
					credentials,
					'/api/v1/nodes',
				);
				t.is(nodes.items.length, 1);
				t.is(nodes.items[0].metadata.name, guest.name);
				const crds = await getThroughSsh(
					forwarder,
					credentials,
					'/apis/apiextensions.k8s.io/v1/customresourcedefinitions/helmcharts.helm.cattle.io',
				);
				t.is(crds.spec.group, 'helm.cattle.io');

				// The installer's own layer, the same way: k3s.yaml's text in memory, each request
				// on a forwarded channel.
				const kube = createKube(
					sshTransport(
						async port =>
							new Promise<Duplex>((resolve, reject) => {
								forwarder.forwardOut(
									'127.0.0.1',
									0,
									'127.0.0.1',
									port,
									(error, channel) => {
										if (error) {
											reject(error);
										} else {
											resolve(channel);
										}
									},
								);
							}),
						file.stdout,
						guest.name,
					),
				);
				const node = await kube.read<KubeObject>(`/api/v1/nodes/${guest.name}`);
				t.is(node?.metadata.name, guest.name);
				const settings: KubeObject = {
					apiVersion: 'v1',
					kind: 'ConfigMap',
					metadata: {name: 'over-ssh', namespace: 'default'},
					data: {reached: 'through a forwarded channel'},
				};
				const applied = await apply(kube, settings);
				const converged = await check(kube, settings);
				t.is(converged.state, 'done');
				const again = await apply(kube, settings);
				t.is(again.metadata.resourceVersion, applied.metadata.resourceVersion);
			} finally {
				await root.close();
				await guest.exec('pkill -TERM -x k3s');
			}
		});
	},
);
