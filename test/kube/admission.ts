// A chart registers its admission webhook before the webhook serves (cert-manager's, on a real
// k3s): the real API server then refuses writes of the chart's kinds for a while. A webhook at a
// port where nothing listens is refused the same way ("failed calling webhook").
import {createServer} from 'node:net';
import type {ExecutionContext} from 'ava';
import {UserError} from '../../source/errors.js';
import {apply, check, type Kube} from '../../source/kube/index.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {type Cluster, waitFor} from '../helpers/cluster.js';
import {kubeOf} from '../helpers/kube.js';

const clusterTest = clusterTests();

async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>(resolve => {
		server.listen(0, '127.0.0.1', resolve);
	});
	const {port} = server.address() as {port: number};
	await new Promise(resolve => {
		server.close(resolve);
	});
	return port;
}

/** A webhook for ConfigMaps in namespaces labelled `webhook: name`, at a port nobody serves. */
async function unservedWebhook(
	t: ExecutionContext,
	cluster: Cluster,
	name: string,
): Promise<{namespace: string; remove: () => Promise<void>}> {
	const port = await closedPort();
	const path = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${name}`;
	const namespace = await cluster.request('POST', '/api/v1/namespaces', {
		metadata: {name, labels: {webhook: name}},
	});
	t.is(namespace.status, 201);
	const created = await cluster.request(
		'POST',
		'/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations',
		{
			metadata: {name},
			webhooks: [
				{
					name: `${name}.example.test`,
					clientConfig: {url: `https://127.0.0.1:${port}/validate`},
					rules: [
						{
							apiGroups: [''],
							apiVersions: ['v1'],
							operations: ['CREATE', 'UPDATE'],
							resources: ['configmaps'],
						},
					],
					namespaceSelector: {matchLabels: {webhook: name}},
					failurePolicy: 'Fail',
					sideEffects: 'None',
					admissionReviewVersions: ['v1'],
				},
			],
		},
	);
	t.is(created.status, 201, JSON.stringify(created.body));
	return {
		namespace: name,
		async remove() {
			const deleted = await cluster.request('DELETE', path);
			t.is(deleted.status, 200);
		},
	};
}

/** The client, counting the API's refusals. */
function counting(kube: Kube): {kube: Kube; refusals: () => number} {
	let refusals = 0;
	return {
		kube: {
			...kube,
			async request(method, path, options) {
				try {
					return await kube.request(method, path, options);
				} catch (error) {
					refusals++;
					throw error;
				}
			},
		},
		refusals: () => refusals,
	};
}

const configMap = (namespace: string) => ({
	apiVersion: 'v1',
	kind: 'ConfigMap',
	metadata: {name: 'settings', namespace},
	data: {mode: 'server'},
});

clusterTest(
	'a write refused by a webhook that is not serving yet is sent again until it is let through',
	async (t, cluster) => {
		const webhook = await unservedWebhook(t, cluster, 'starting');
		const client = counting(await kubeOf(cluster));
		const checked = check(client.kube, configMap(webhook.namespace));
		const applied = apply(client.kube, configMap(webhook.namespace));
		await waitFor('both refused once', () =>
			client.refusals() >= 2 ? true : undefined,
		);
		// The webhook "starts": the API server stops refusing.
		await webhook.remove();
		const planned = await checked;
		t.is(planned.state, 'new');
		const live = await applied;
		t.deepEqual(live['data'], {mode: 'server'});
	},
);

clusterTest(
	'a webhook that never serves: the write gives up naming it, with what to look at',
	async (t, cluster) => {
		const webhook = await unservedWebhook(t, cluster, 'never');
		const error = await t.throwsAsync(
			apply(await kubeOf(cluster), configMap(webhook.namespace), {
				webhookWaitMs: 0,
			}),
		);
		t.true(error instanceof UserError);
		t.regex(
			error.message,
			/could not call the admission webhook never\.example\.test within 0 s/,
		);
		t.regex((error as UserError).hint ?? '', /kubectl get pods -A/);
		await webhook.remove();
	},
);
