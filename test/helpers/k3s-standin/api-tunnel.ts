import {createServer, type Server, type Socket} from 'node:net';
import type {Duplex} from 'node:stream';
import {
	createKube,
	type Kube,
	k3sKubeconfigPath,
	readKubeconfig,
} from '../../../source/kube/index.js';
import {connectRoot, type RootSsh} from '../guest/ssh.js';
import type {Guest} from '../guest/with-guest.js';

/*
The stand-in k3s serves its API on the guest's 127.0.0.1:6443 only, and the host firewall keeps
6443 closed anyway. What stands in for "inside the cluster" here — the GitHub stand-in's runner
link and the runner pod's commands — reaches it as the installer does: through SSH. A port on
this machine's loopback forwards each connection over a root SSH session to the guest's
127.0.0.1:6443, so a process given KUBERNETES_SERVICE_HOST/PORT of that port talks TLS to the
real API server (its certificate names 127.0.0.1) as a pod talks to its Service.
*/

type Forwarder = {
	forwardOut(
		sourceHost: string,
		sourcePort: number,
		destinationHost: string,
		destinationPort: number,
		callback: (error: Error | undefined, channel: Duplex) => void,
	): void;
};

export type GuestApi = {
	/** The loopback port forwarded to the guest's API. */
	port: number;
	/**
	 * The cluster admin's client (k3s.yaml's certificate). It reads k3s.yaml only when used, so it
	 * can be made before the install put k3s there; a request before that fails.
	 */
	admin: Kube;
	/** The API's CA, from k3s.yaml (for a pod's view: the token and this CA). */
	ca(): Promise<string>;
	close(): Promise<void>;
};

async function kubeconfigOf(guest: Guest): Promise<string> {
	const {code, stdout} = await guest.exec(`cat ${k3sKubeconfigPath}`);
	if (code !== 0 || stdout.trim() === '') {
		throw new Error('k3s.yaml is not on the guest yet');
	}

	return stdout;
}

/** Opens the forwarded port; `close` ends it and its SSH session. */
export async function forwardGuestApi(guest: Guest): Promise<GuestApi> {
	let session: Promise<RootSsh> | undefined;
	const sockets = new Set<Socket>();
	const channel = async (): Promise<Duplex> => {
		session ??= connectRoot(guest);
		const current = session;
		try {
			const {ssh} = await current;
			const forwarder = ssh.connection as unknown as Forwarder;
			return await new Promise<Duplex>((resolve, reject) => {
				forwarder.forwardOut(
					'127.0.0.1',
					0,
					'127.0.0.1',
					6443,
					(error, stream) => {
						if (error) {
							reject(error);
						} else {
							resolve(stream);
						}
					},
				);
			});
		} catch (error) {
			// A session that broke (or never came up) is made again by the next connection.
			if (session === current) {
				session = undefined;
			}

			throw error;
		}
	};

	const server: Server = createServer(socket => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		channel().then(
			stream => {
				stream.on('error', () => socket.destroy());
				socket.pipe(stream).pipe(socket);
			},
			() => socket.destroy(),
		);
	});
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;

	let made: Kube | undefined;
	const adminKube = async () => {
		made ??= createKube({
			...readKubeconfig(await kubeconfigOf(guest)),
			server: `https://127.0.0.1:${port}`,
			where: `the guest's API through a forwarded port`,
			unreachableHint: 'the stand-in k3s is not running on the guest',
		});
		return made;
	};

	return {
		port,
		admin: {
			where: `the guest's API through a forwarded port`,
			async request(method, path, options) {
				const kube = await adminKube();
				return kube.request(method, path, options);
			},
			async read(path, signal) {
				const kube = await adminKube();
				return kube.read(path, signal);
			},
		},
		async ca() {
			return readKubeconfig(await kubeconfigOf(guest)).credentials.ca;
		},
		async close() {
			for (const socket of sockets) {
				socket.destroy();
			}

			await new Promise<void>(resolve => {
				server.close(() => {
					resolve();
				});
			});
			const open = session;
			session = undefined;
			await open?.then(
				async root => root.close(),
				() => undefined,
			);
		},
	};
}
