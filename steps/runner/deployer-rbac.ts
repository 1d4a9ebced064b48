import type {Input} from '../../source/config/schema.js';
import {NotThereYetError} from '../../source/errors.js';
import type {Kube} from '../../source/kube/index.js';
import {objectsStep} from '../kit-objects.js';
import {clusterRules, namespacedRules} from './deploy-access.js';
import {runnerLabels, runnerNames} from './names.js';

type RunnerSet = {
	metadata: {name: string};
	spec?: {
		runnerScaleSetName?: string;
		template?: {spec?: {serviceAccountName?: string}};
	};
};

/**
 * The service account the runner pods run as, read from the AutoscalingRunnerSet the chart made:
 * the chart derives it from the release and version (upstream guessed `<name>-gha-rs-no-permission`
 * and broke when that changed).
 */
export async function runnerServiceAccount(
	kube: Kube,
	input: Input,
	signal?: AbortSignal,
): Promise<string> {
	const {namespace, scaleSetName} = input.runner;
	const sets = await kube.read<{items: RunnerSet[]}>(
		`/apis/actions.github.com/v1alpha1/namespaces/${namespace}/autoscalingrunnersets`,
		signal,
	);
	const set = sets?.items.find(
		item =>
			(item.spec?.runnerScaleSetName ?? item.metadata.name) === scaleSetName,
	);
	const account = set?.spec?.template?.spec?.serviceAccountName;
	if (!account) {
		throw new NotThereYetError(
			`the runner scale set ${namespace}/${scaleSetName} is not installed yet, so its runners' service account is not known`,
		);
	}

	return account;
}

/**
 * What the deploy workflow's jobs may do in the cluster: a Role in the staging namespace and a
 * ClusterRole for the few cluster-wide objects, bound to the runner pods' service account.
 */
export const deployerRbac = objectsStep({
	id: 'runner.deployer-rbac',
	phase: 'runner',
	title: 'Deployer permissions',
	requires: ['cluster', 'platform'],
	inputs: input => ({
		staging: input.platform.namespace,
		runners: input.runner.namespace,
		scaleSet: input.runner.scaleSetName,
	}),
	runbook: input => ({
		check: [
			`kubectl auth can-i --list -n ${input.platform.namespace} --as system:serviceaccount:${input.runner.namespace}:SERVICE_ACCOUNT`,
			`kubectl -n ${input.platform.namespace} get role ${runnerNames.deployerRole}; kubectl get clusterrole ${runnerNames.deployerClusterRole}`,
		],
		fix: [
			'codex-k8s-install install --only runner   (binds to the service account the runner pods run as)',
		],
	}),
	describe: input => [
		`Role ${runnerNames.deployerRole} in ${input.platform.namespace} and ClusterRole ${runnerNames.deployerClusterRole}: what build, deploy and status --in-cluster use, nothing more`,
		`bound to the service account the ${input.runner.scaleSetName} runner pods really run as (read from the cluster)`,
	],
	async objects({input, signal}, kube) {
		const staging = input.platform.namespace;
		const subjects = [
			{
				kind: 'ServiceAccount',
				name: await runnerServiceAccount(kube, input, signal),
				namespace: input.runner.namespace,
			},
		];
		const metadata = (name: string, namespace?: string) => ({
			name,
			...(namespace ? {namespace} : {}),
			labels: runnerLabels,
		});
		const roleRef = (kind: string, name: string) => ({
			apiGroup: 'rbac.authorization.k8s.io',
			kind,
			name,
		});
		const rbac = 'rbac.authorization.k8s.io/v1';
		return [
			{
				apiVersion: rbac,
				kind: 'Role',
				metadata: metadata(runnerNames.deployerRole, staging),
				rules: namespacedRules(),
			},
			{
				apiVersion: rbac,
				kind: 'RoleBinding',
				metadata: metadata(runnerNames.deployerRole, staging),
				roleRef: roleRef('Role', runnerNames.deployerRole),
				subjects,
			},
			{
				apiVersion: rbac,
				kind: 'ClusterRole',
				metadata: metadata(runnerNames.deployerClusterRole),
				rules: clusterRules(staging),
			},
			{
				apiVersion: rbac,
				kind: 'ClusterRoleBinding',
				metadata: metadata(runnerNames.deployerClusterRole),
				roleRef: roleRef('ClusterRole', runnerNames.deployerClusterRole),
				subjects,
			},
		];
	},
});
