import {Buffer} from 'node:buffer';
import {readFile} from 'node:fs/promises';
import type {Duplex} from 'node:stream';
import {parse} from 'yaml';
import {UserError} from '../errors.js';

/** How the client proves who it is: a client certificate (k3s's admin), or a bearer token. */
export type KubeCredentials = {ca: string} & (
	| {cert: string; key: string; token?: undefined}
	| {token: string; cert?: undefined; key?: undefined}
);

/**
 * Where the API is and how to reach it. `channel` opens the byte stream a request's TLS runs
 * on (an SSH-forwarded channel); without it the request dials `server` directly.
 */
export type Transport = {
	/** `https://host:port`: the API server as its certificate names it. */
	server: string;
	credentials: KubeCredentials;
	/** Words for messages: "the API on host.example through SSH". */
	where: string;
	channel?: () => Promise<Duplex>;
	/** What to do when the API does not answer. */
	unreachableHint: string;
};

type KubeconfigFile = {
	clusters?: Array<{
		cluster?: {server?: string; 'certificate-authority-data'?: string};
	}>;
	users?: Array<{
		user?: {
			'client-certificate-data'?: string;
			'client-key-data'?: string;
			token?: string;
		};
	}>;
};

const fromBase64 = (text: string) =>
	Buffer.from(text, 'base64').toString('utf8');

/** The server and inline credentials of a kubeconfig (k3s.yaml): its first cluster and user. */
export function readKubeconfig(text: string): {
	server: string;
	credentials: KubeCredentials;
} {
	let file: KubeconfigFile | undefined;
	try {
		file = parse(text) as KubeconfigFile;
	} catch {
		// Reported below, without the text: it holds a private key.
	}

	const cluster = file?.clusters?.[0]?.cluster;
	const user = file?.users?.[0]?.user;
	const ca = cluster?.['certificate-authority-data'];
	if (!cluster?.server || !ca || !user) {
		throw new UserError(
			'The kubeconfig has no cluster with an inline CA and a user',
			{
				hint: 'k3s writes /etc/rancher/k3s/k3s.yaml with certificates inline; check that k3s started and wrote it.',
			},
		);
	}

	const certificate = user['client-certificate-data'];
	const key = user['client-key-data'];
	if (certificate && key) {
		return {
			server: cluster.server,
			credentials: {
				ca: fromBase64(ca),
				cert: fromBase64(certificate),
				key: fromBase64(key),
			},
		};
	}

	if (user.token) {
		return {
			server: cluster.server,
			credentials: {ca: fromBase64(ca), token: user.token},
		};
	}

	throw new UserError(
		'The kubeconfig user has no client certificate or token',
		{
			hint: 'Use the admin kubeconfig k3s writes (/etc/rancher/k3s/k3s.yaml).',
		},
	);
}

/** Dials the kubeconfig's server directly (tests, and an operator's own kubeconfig). */
export function kubeconfigTransport(text: string): Transport {
	const {server, credentials} = readKubeconfig(text);
	return {
		server,
		credentials,
		where: `the Kubernetes API at ${server}`,
		unreachableHint:
			'Check that the API server runs and the kubeconfig names it.',
	};
}

/** Where k3s writes its admin kubeconfig (root only: it is a cluster-admin credential). */
export const k3sKubeconfigPath = '/etc/rancher/k3s/k3s.yaml';

/** The port the API listens on, on the host's loopback. */
export const apiPort = 6443;

/**
 * The API of the host at the other end of an SSH connection: each connection to the API is a
 * channel the SSH server opens to its own 127.0.0.1:6443, so the port is never opened to the
 * network. The credentials come from k3s.yaml read over SSH and stay in memory.
 */
export function sshTransport(
	openChannel: (port: number) => Promise<Duplex>,
	kubeconfigText: string,
	hostName: string,
): Transport {
	const {credentials} = readKubeconfig(kubeconfigText);
	return {
		// The channel ends on the host's 127.0.0.1, a name k3s's serving certificate carries.
		server: `https://127.0.0.1:${apiPort}`,
		credentials,
		where: `the Kubernetes API on ${hostName} (through SSH)`,
		unreachableHint:
			'Check that k3s runs on the host (`systemctl status k3s`) and listens on 127.0.0.1:6443.',
		channel: async () => openChannel(apiPort),
	};
}

/** Where a pod finds its service account, as the kubelet mounts it. */
export const serviceAccountDirectory =
	'/var/run/secrets/kubernetes.io/serviceaccount';

/** Inside a pod: the service account's token and CA, the API from the environment. */
export async function inClusterTransport(
	directory = serviceAccountDirectory,
	environment: Record<string, string | undefined> = process.env,
): Promise<Transport> {
	const host = environment['KUBERNETES_SERVICE_HOST'];
	const port = environment['KUBERNETES_SERVICE_PORT'] ?? '443';
	if (!host) {
		throw new UserError('Not running inside a Kubernetes pod', {
			hint: 'KUBERNETES_SERVICE_HOST is not set: --in-cluster works only in a pod with a service account.',
		});
	}

	let token: string;
	let ca: string;
	try {
		[token, ca] = await Promise.all([
			readFile(`${directory}/token`, 'utf8'),
			readFile(`${directory}/ca.crt`, 'utf8'),
		]);
	} catch (error) {
		throw new UserError(
			`The service account token or CA is missing in ${directory}`,
			{
				hint: 'Give the pod a service account with automountServiceAccountToken enabled.',
				cause: error,
			},
		);
	}

	const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
	return {
		server,
		credentials: {ca, token: token.trim()},
		where: `the Kubernetes API at ${server} (in-cluster)`,
		unreachableHint:
			'Check the pod can reach the API service (a NetworkPolicy may block it).',
	};
}
