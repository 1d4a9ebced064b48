/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-return */
// API bodies are loosely typed on purpose here; assertions check their shape.
// The real Kubernetes API (test/cluster): its validation, server-side apply, dry-run and RBAC.
import {clusterTests} from '../helpers/cluster/ava.js';
import {type Cluster, waitFor} from '../helpers/cluster.js';

const clusterTest = clusterTests();

async function namespace(cluster: Cluster, name: string): Promise<string> {
	const created = await cluster.request('POST', '/api/v1/namespaces', {
		metadata: {name},
	});
	if (created.status !== 201) {
		throw new Error(`namespace ${name}: ${created.status}`);
	}

	return name;
}

const applyYaml = {contentType: 'application/apply-patch+yaml'};

clusterTest(
	'an invalid Deployment is refused with the API server’s 422 and its causes',
	async (t, cluster) => {
		const ns = await namespace(cluster, 'invalid');
		const response = await cluster.request(
			'POST',
			`/apis/apps/v1/namespaces/${ns}/deployments`,
			{
				apiVersion: 'apps/v1',
				kind: 'Deployment',
				metadata: {name: 'web'},
				spec: {
					selector: {matchLabels: {app: 'web'}},
					template: {
						metadata: {labels: {app: 'other'}},
						spec: {containers: [{name: 'Web_Server', image: 'nginx'}]},
					},
				},
			},
		);
		t.is(response.status, 422);
		t.is(response.body.kind, 'Status');
		t.is(response.body.reason, 'Invalid');
		const causes = response.body.details.causes.map(
			(cause: any) => cause.field,
		);
		t.true(
			causes.includes('spec.template.metadata.labels'),
			JSON.stringify(causes),
		);
		t.true(
			causes.includes('spec.template.spec.containers[0].name'),
			JSON.stringify(causes),
		);
		const stored = await cluster.request(
			'GET',
			`/apis/apps/v1/namespaces/${ns}/deployments/web`,
		);
		t.is(stored.status, 404);
	},
);

clusterTest(
	'a server-side apply that changes nothing keeps the resourceVersion',
	async (t, cluster) => {
		const ns = await namespace(cluster, 'apply');
		const manifest = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  mode: server\n`;
		const path = `/api/v1/namespaces/${ns}/configmaps/settings`;
		const query = {query: {fieldManager: 'codex-k8s-install'}, ...applyYaml};
		const first = await cluster.request('PATCH', path, manifest, query);
		t.is(first.status, 201);
		const second = await cluster.request('PATCH', path, manifest, query);
		t.is(second.status, 200);
		t.is(
			second.body.metadata.resourceVersion,
			first.body.metadata.resourceVersion,
		);
		const changed = await cluster.request(
			'PATCH',
			path,
			manifest.replace('server', 'local'),
			query,
		);
		t.not(
			changed.body.metadata.resourceVersion,
			first.body.metadata.resourceVersion,
		);
	},
);

clusterTest(
	'a dry-run apply answers with the result and stores nothing',
	async (t, cluster) => {
		const ns = await namespace(cluster, 'dry-run');
		const path = `/api/v1/namespaces/${ns}/configmaps/settings`;
		const manifest = (mode: string) =>
			`apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: ${ns}\ndata:\n  mode: ${mode}\n`;
		const stored = await cluster.request('PATCH', path, manifest('server'), {
			query: {fieldManager: 'codex-k8s-install'},
			...applyYaml,
		});
		const dryRun = await cluster.request('PATCH', path, manifest('local'), {
			query: {fieldManager: 'codex-k8s-install', dryRun: 'All'},
			...applyYaml,
		});
		t.is(dryRun.status, 200);
		t.deepEqual(dryRun.body.data, {mode: 'local'});
		const after = await cluster.get(path);
		t.deepEqual(after.data, {mode: 'server'});
		t.is(after.metadata.resourceVersion, stored.body.metadata.resourceVersion);
		const fresh = await cluster.request(
			'PATCH',
			`/api/v1/namespaces/${ns}/configmaps/new`,
			manifest('x').replace('name: settings', 'name: new'),
			{
				query: {fieldManager: 'codex-k8s-install', dryRun: 'All'},
				...applyYaml,
			},
		);
		t.is(fresh.status, 201);
		const notStored = await cluster.request(
			'GET',
			`/api/v1/namespaces/${ns}/configmaps/new`,
		);
		t.is(notStored.status, 404);
	},
);

clusterTest(
	'a service account without rights is refused with 403; with a Role it is let in',
	async (t, cluster) => {
		const ns = await namespace(cluster, 'rbac');
		const nobody = await cluster.asServiceAccount(ns, 'nobody');
		const refused = await nobody.request(
			'GET',
			`/api/v1/namespaces/${ns}/secrets`,
		);
		t.is(refused.status, 403);
		t.is(refused.body.reason, 'Forbidden');
		t.regex(
			refused.body.message,
			new RegExp(`system:serviceaccount:${ns}:nobody`, 'v'),
		);
		await cluster.request(
			'POST',
			`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`,
			{
				metadata: {name: 'read-secrets'},
				rules: [{apiGroups: [''], resources: ['secrets'], verbs: ['list']}],
			},
		);
		await cluster.request(
			'POST',
			`/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`,
			{
				metadata: {name: 'nobody-reads'},
				roleRef: {
					apiGroup: 'rbac.authorization.k8s.io',
					kind: 'Role',
					name: 'read-secrets',
				},
				subjects: [{kind: 'ServiceAccount', name: 'nobody', namespace: ns}],
			},
		);
		// The authorizer reads RBAC objects from its cache: the grant applies once it has seen them.
		const allowed = await waitFor(
			'the RoleBinding to take effect',
			async () => {
				const response = await nobody.request(
					'GET',
					`/api/v1/namespaces/${ns}/secrets`,
				);
				return response.status === 200 ? response : undefined;
			},
		);
		t.is(allowed.body.kind, 'SecretList');
		const otherKind = await nobody.request(
			'GET',
			`/api/v1/namespaces/${ns}/configmaps`,
		);
		t.is(otherKind.status, 403);
	},
);
