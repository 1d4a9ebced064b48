/**
 * What the deploy path (`build`, `deploy` and `status --in-cluster`, run by the workflow in the
 * runner pod) does through the API, as RBAC rules, and nothing more. The workflow always runs
 * after the laptop's install, with the same installer version (`npx codex-k8s-install@VERSION`):
 * that install, as the cluster admin, made every object, so the workflow reads them, dry-run
 * applies and applies changes (a new image), and creates only what is new per commit — Jobs. An
 * object first made, or replaced, by a new installer version or a mode switch (a Deployment's new
 * selector, the Ingress) is the laptop's to make, and so is a change to the worker's ClusterRole:
 * the deployer holds no `create` outside Jobs, no `escalate` or `bind`, and reads Secrets only.
 * test/steps/runner/deployer-audit.ts runs the deploy path as this account and fails on a call
 * refused, and on a permission granted that the API server's audit log shows no call using.
 */

export type PolicyRule = {
	apiGroups: string[];
	resources: string[];
	verbs: string[];
	resourceNames?: string[];
};

/** Objects the install made: read to diff, dry-run applied and applied (a patch). */
const applied = ['get', 'patch'];

/** The worker's cluster role: it makes the namespaces agent runs use (upstream step 60). */
export const workerClusterRole = (namespace: string) =>
	`codex-k8s-worker-runtime-${namespace}`;

/** Rules of the Role in the staging namespace. */
export function namespacedRules(): PolicyRule[] {
	return [
		{
			apiGroups: [''],
			resources: ['configmaps', 'services', 'serviceaccounts'],
			verbs: applied,
		},
		// The platform's Secrets are read (the workflow keeps no copy of them), never written.
		{apiGroups: [''], resources: ['secrets'], verbs: ['get']},
		// Waits: why a pod is not ready (its events, a claim not bound, a build's last log lines).
		{apiGroups: [''], resources: ['pods', 'events'], verbs: ['list']},
		{
			apiGroups: [''],
			resources: ['pods/log', 'persistentvolumeclaims'],
			verbs: ['get'],
		},
		// The smoke check: the Service postgres routes to a ready database pod.
		{
			apiGroups: ['discovery.k8s.io'],
			resources: ['endpointslices'],
			verbs: ['list'],
		},
		{
			apiGroups: ['apps'],
			resources: ['deployments', 'statefulsets'],
			verbs: applied,
		},
		// A rollout not done at its first look: the wait finds the new revision's pods through its
		// ReplicaSet (source/kube/waits.ts). The whole install on a guest was refused it.
		{apiGroups: ['apps'], resources: ['replicasets'], verbs: ['list']},
		// Build and migration Jobs are made per commit and image (an apply that creates is
		// authorised as `create` too); `list`: a component's build Jobs of earlier commits are found
		// by label and deleted.
		{
			apiGroups: ['batch'],
			resources: ['jobs'],
			verbs: [...applied, 'create', 'list', 'delete'],
		},
		// Server mode's Ingress (local mode reads it only to find one a server-mode install left);
		// the NetworkPolicy baseline belongs to the cluster phase. Its certificate is waited for
		// only when the Ingress changes, which the laptop's install does.
		{
			apiGroups: ['networking.k8s.io'],
			resources: ['ingresses'],
			verbs: applied,
		},
		// The smoke job's health check (`status --in-cluster`) goes through the API server's
		// service proxy to the platform's Service port (steps/platform/checks.ts).
		{
			apiGroups: [''],
			resources: ['services/proxy'],
			verbs: ['get'],
			resourceNames: ['codex-k8s:80'],
		},
		// The smoke job's certificate check (server mode): cert-manager's view of the Ingress's
		// certificate (steps/platform/names.ts `tlsSecret`).
		{
			apiGroups: ['cert-manager.io'],
			resources: ['certificates'],
			verbs: ['get'],
			resourceNames: ['codex-k8s-staging-tls'],
		},
	];
}

/**
 * Rules of the ClusterRole: the staging namespace itself and the worker's cluster role and
 * binding, by name, read and applied unchanged (an update that changes nothing needs neither
 * `escalate` nor `bind`); and the nodes, read by the smoke job's node check.
 */
export function clusterRules(namespace: string): PolicyRule[] {
	const worker = workerClusterRole(namespace);
	return [
		{
			apiGroups: [''],
			resources: ['namespaces'],
			verbs: applied,
			resourceNames: [namespace],
		},
		{
			apiGroups: ['rbac.authorization.k8s.io'],
			resources: ['clusterroles', 'clusterrolebindings'],
			verbs: applied,
			resourceNames: [worker],
		},
		{apiGroups: [''], resources: ['nodes'], verbs: ['list']},
	];
}
