/**
 * What the deploy path (`build`, `deploy` and `status --in-cluster`, run by the workflow in the
 * runner pod) does through the API, as RBAC rules, and nothing more. Its calls are those of the
 * objects kit (read, dry-run apply, apply), of the waits (read, list pods, their events and logs)
 * and of Jobs recreated per image. test/steps/runner/deployer-access.ts holds the recorded list of
 * calls and fails on a permission granted beyond it or missing from it.
 */

export type PolicyRule = {
	apiGroups: string[];
	resources: string[];
	verbs: string[];
	resourceNames?: string[];
};

/** Applied objects: read to diff, dry-run and applied (a patch that creates needs `create`). */
const applied = ['get', 'create', 'patch'];

/** The worker's cluster role: it makes the namespaces agent runs use (upstream step 60). */
export const workerClusterRole = (namespace: string) =>
	`codex-k8s-worker-runtime-${namespace}`;

/** Rules of the Role in the staging namespace. */
export function namespacedRules(): PolicyRule[] {
	return [
		{
			apiGroups: [''],
			resources: ['configmaps', 'secrets', 'services', 'serviceaccounts'],
			verbs: applied,
		},
		// Waits: why a pod is not ready (its events, a claim not bound, a build's last log lines).
		{apiGroups: [''], resources: ['pods', 'events'], verbs: ['list']},
		{
			apiGroups: [''],
			resources: ['pods/log', 'persistentvolumeclaims'],
			verbs: ['get'],
		},
		// A Deployment whose selector would change is replaced; Jobs are recreated per image.
		{
			apiGroups: ['apps'],
			resources: ['deployments'],
			verbs: [...applied, 'delete'],
		},
		{apiGroups: ['apps'], resources: ['statefulsets'], verbs: applied},
		// `list`: a component's build Jobs of earlier commits are found by label and deleted.
		{
			apiGroups: ['batch'],
			resources: ['jobs'],
			verbs: [...applied, 'list', 'delete'],
		},
		// Server mode's ingress; the NetworkPolicy baseline belongs to the cluster phase.
		// `delete`: back in local mode, the server mode's Ingress goes.
		{
			apiGroups: ['networking.k8s.io'],
			resources: ['ingresses'],
			verbs: [...applied, 'delete'],
		},
		// Server mode waits for the ingress certificate.
		{
			apiGroups: ['cert-manager.io'],
			resources: ['certificates'],
			verbs: ['get'],
		},
	];
}

/**
 * Rules of the ClusterRole: only the staging namespace itself and the worker's cluster role and
 * binding, by name. `create` cannot be limited to a name in RBAC; `escalate` and `bind`, limited
 * to the worker's role, let the deployer write that role without holding its rights itself.
 */
export function clusterRules(namespace: string): PolicyRule[] {
	const worker = workerClusterRole(namespace);
	return [
		{
			apiGroups: [''],
			resources: ['namespaces'],
			verbs: ['get', 'patch'],
			resourceNames: [namespace],
		},
		{
			apiGroups: ['rbac.authorization.k8s.io'],
			resources: ['clusterroles'],
			verbs: ['get', 'patch', 'escalate', 'bind'],
			resourceNames: [worker],
		},
		{
			apiGroups: ['rbac.authorization.k8s.io'],
			resources: ['clusterrolebindings'],
			verbs: ['get', 'patch'],
			resourceNames: [worker],
		},
		{
			apiGroups: ['rbac.authorization.k8s.io'],
			resources: ['clusterroles', 'clusterrolebindings'],
			verbs: ['create'],
		},
	];
}
