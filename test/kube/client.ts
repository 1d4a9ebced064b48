/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment */
// API bodies are loosely typed on purpose here; assertions check their shape.
// The Kubernetes layer (source/kube/) against the real API server of the test cluster.
import {mkdtemp, rm, writeFile} from 'node:fs/promises';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {UserError} from '../../source/errors.js';
import {
	apply,
	check,
	createKube,
	inClusterTransport,
	type Kube,
	type KubeObject,
} from '../../source/kube/index.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {kubeOf} from '../helpers/kube.js';

const clusterTest = clusterTests();

const configMap = (
	namespace: string,
	data: Record<string, string>,
): KubeObject => ({
	apiVersion: 'v1',
	kind: 'ConfigMap',
	metadata: {name: 'settings', namespace},
	data,
});

const deployment = (namespace: string, image: string): KubeObject => ({
	apiVersion: 'apps/v1',
	kind: 'Deployment',
	metadata: {name: 'web', namespace},
	spec: {
		replicas: 1,
		selector: {matchLabels: {app: 'web'}},
		template: {
			metadata: {labels: {app: 'web'}},
			spec: {containers: [{name: 'web', image}]},
		},
	},
});

/** A service account's token minted by the API (TokenRequest). */
async function mintToken(
	kube: Kube,
	namespace: string,
	name: string,
): Promise<string> {
	await apply(kube, {
		apiVersion: 'v1',
		kind: 'ServiceAccount',
		metadata: {name, namespace},
	});
	const minted = await kube.request<any>(
		'POST',
		`/api/v1/namespaces/${namespace}/serviceaccounts/${name}/token`,
		{
			body: {
				apiVersion: 'authentication.k8s.io/v1',
				kind: 'TokenRequest',
				spec: {},
			},
		},
	);
	return minted.status.token as string;
}

clusterTest(
	'apply creates; a re-apply changes nothing and check finds nothing to do',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const namespace: KubeObject = {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name: 'converge'},
		};
		const before = await check(kube, namespace);
		t.is(before.state, 'new');
		await apply(kube, namespace);
		const first = await apply(kube, deployment('converge', 'nginx:1.27'));
		t.is(first.metadata.managedFields?.[0]?.manager, 'codex-k8s-install');
		const second = await apply(kube, deployment('converge', 'nginx:1.27'), {
			force: true,
		});
		t.is(second.metadata.resourceVersion, first.metadata.resourceVersion);
		t.deepEqual(await check(kube, deployment('converge', 'nginx:1.27')), {
			object: 'Deployment converge/web',
			state: 'done',
			changes: [],
		});
		const live = await kube.read<KubeObject>(
			'/apis/apps/v1/namespaces/converge/deployments/web',
		);
		t.is(live?.metadata.resourceVersion, first.metadata.resourceVersion);
	},
);

clusterTest(
	'check names exactly the changed field, and applies nothing',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		await apply(kube, {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name: 'drift'},
		});
		const applied = await apply(kube, deployment('drift', 'nginx:1.27'));
		await apply(kube, configMap('drift', {mode: 'server', keep: 'yes'}));
		t.deepEqual(await check(kube, deployment('drift', 'nginx:1.28')), {
			object: 'Deployment drift/web',
			state: 'change',
			changes: [
				'spec.template.spec.containers[web].image: "nginx:1.27" → "nginx:1.28"',
			],
		});
		const drift = await check(
			kube,
			configMap('drift', {mode: 'local', keep: 'yes'}),
		);
		t.deepEqual(drift.changes, ['data.mode: "server" → "local"']);
		const live = await kube.read<KubeObject>(
			'/apis/apps/v1/namespaces/drift/deployments/web',
		);
		t.is(live?.metadata.resourceVersion, applied.metadata.resourceVersion);
		t.is(live?.spec.template.spec.containers[0].image, 'nginx:1.27');
	},
);

clusterTest(
	'an invalid object is a UserError naming the field',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const invalid = deployment('default', 'nginx:1.27');
		invalid.spec.replicas = -1;
		const error = await t.throwsAsync(apply(kube, invalid), {
			instanceOf: UserError,
		});
		t.is(
			error.message,
			'The API refused Deployment.apps "web" in namespace default as invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
		);
	},
);

clusterTest(
	'a refused request is a UserError naming the verb and the resource',
	async (t, cluster) => {
		const admin = await kubeOf(cluster);
		const token = await mintToken(admin, 'default', 'bystander');
		const directory = await mkdtemp(path.join(tmpdir(), 'kube-sa-'));
		try {
			// A temporary directory stands in for /var/run/secrets/kubernetes.io/serviceaccount.
			await writeFile(path.join(directory, 'token'), `${token}\n`);
			await writeFile(path.join(directory, 'ca.crt'), cluster.credentials.ca);
			const {hostname, port} = new URL(cluster.server);
			const kube = createKube(
				await inClusterTransport(directory, {
					KUBERNETES_SERVICE_HOST: hostname,
					KUBERNETES_SERVICE_PORT: port,
				}),
			);
			const review = await kube.request<any>(
				'POST',
				'/apis/authentication.k8s.io/v1/selfsubjectreviews',
				{
					body: {
						apiVersion: 'authentication.k8s.io/v1',
						kind: 'SelfSubjectReview',
					},
				},
			);
			t.is(
				review.status.userInfo.username,
				'system:serviceaccount:default:bystander',
			);
			const error = await t.throwsAsync(
				apply(kube, configMap('default', {a: 'b'})),
				{instanceOf: UserError},
			);
			t.is(
				error.message,
				'Not allowed to apply configmaps "settings" in namespace default as system:serviceaccount:default:bystander',
			);
			t.regex(error.hint ?? '', /"patch" verb on configmaps/v);
			t.regex(
				error.hint ?? '',
				/from your computer with `codex-k8s-install install`/v,
			);
			t.false(error.message.includes(token));
			// A subresource: the hint names the rule RBAC checked, not its parent resource.
			const proxy = await t.throwsAsync(
				kube.request(
					'GET',
					'/api/v1/namespaces/default/services/web:80/proxy/healthz',
				),
				{instanceOf: UserError},
			);
			t.regex(proxy.hint ?? '', /the "get" verb on services\/proxy \(RBAC\)/v);
			const nodes = await t.throwsAsync(kube.request('GET', '/api/v1/nodes'), {
				instanceOf: UserError,
			});
			t.regex(nodes.hint ?? '', /the "list" verb on nodes \(RBAC\)/v);
		} finally {
			await rm(directory, {recursive: true, force: true});
		}
	},
);

clusterTest(
	'an API that does not answer is a UserError with a fix',
	async t => {
		const kube = createKube({
			server: 'https://127.0.0.1:9',
			credentials: {ca: 'none', token: 'none'},
			where: 'the Kubernetes API on test-host (through SSH)',
			unreachableHint: 'Check that k3s runs on the host.',
			async channel() {
				throw new Error('open failed: connection refused');
			},
		});
		const error = await t.throwsAsync(kube.read('/api/v1/nodes'), {
			instanceOf: UserError,
		});
		t.is(
			error.message,
			'the Kubernetes API on test-host (through SSH) does not answer (open failed: connection refused)',
		);
		t.is(error.hint, 'Check that k3s runs on the host.');
	},
);
