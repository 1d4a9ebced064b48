import {spawnSync} from 'node:child_process';
import {once} from 'node:events';
import type {Kube} from '../../../source/kube/index.js';
import type {Guest} from '../guest/with-guest.js';
import {serveInGuestNetwork} from './netns-server.js';

/*
The test cluster runs no container, so nothing would answer the platform's health endpoints
(`status` asks /healthz and /readyz of Service codex-k8s through the API server's service proxy).
This stands in for the API gateway's container: an HTTP server in the guest's network namespace
on the gateway's port, answering 200 there, and the addresses the simulated kubelet gave the
gateway's pods (10.42.0.x, from the Service's EndpointSlices) put on the guest's loopback as they
appear — so the real API server's proxy reaches "the pod" at its IP. Only Ready pods are
endpoints: a pod the kubelet's fault annotations keep from Ready gets no traffic, as on k3s.
*/

const server = `
const http = require('node:http');
http.createServer((request, response) => {
	const ok = request.url === '/healthz' || request.url === '/readyz';
	response.writeHead(ok ? 200 : 404, {'content-type': 'text/plain'});
	response.end(ok ? 'ok' : 'not found');
}).listen(Number(process.argv[1]), '0.0.0.0', () => console.log('listening'));
`;

type Slices = {
	items: Array<{
		endpoints?: Array<{addresses: string[]; conditions?: {ready?: boolean}}>;
	}>;
};

export type HealthStandIn = {stop(): Promise<void>};

export async function answerPlatformHealth(
	guest: Guest,
	admin: Kube,
	{
		namespace,
		service = 'codex-k8s',
		port = 8080,
	}: {namespace: string; service?: string; port?: number},
): Promise<HealthStandIn> {
	const child = await serveInGuestNetwork(guest, server, [String(port)]);
	const added = new Set<string>();
	let stopped = false;
	let timer: NodeJS.Timeout | undefined;
	const look = async () => {
		const slices = await admin.read<Slices>(
			`/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices?labelSelector=${encodeURIComponent(`kubernetes.io/service-name=${service}`)}`,
		);
		const addresses = (slices?.items ?? []).flatMap(slice =>
			(slice.endpoints ?? []).flatMap(each => each.addresses),
		);
		for (const address of addresses) {
			if (!added.has(address) && /^[\d.]+$/v.test(address)) {
				spawnSync('ip', [
					'-n',
					guest.netns,
					'addr',
					'add',
					`${address}/32`,
					'dev',
					'lo',
				]);
				added.add(address);
			}
		}
	};

	const again = () => {
		look()
			.catch(() => {
				// The API is not there yet, or going: look again.
			})
			.finally(() => {
				if (!stopped) {
					timer = setTimeout(again, 500);
				}
			});
	};

	again();
	return {
		async stop() {
			stopped = true;
			clearTimeout(timer);
			if (child.exitCode === null) {
				const exited = once(child, 'exit');
				child.kill();
				await exited;
			}
		},
	};
}
