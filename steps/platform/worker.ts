import type {Input} from '../../source/config/schema.js';
import {imageOf, labelsOf, names} from './names.js';
import {type ComponentGroup, deployment, platformEnv} from './workloads.js';

const everyVerb = [
	'get',
	'list',
	'watch',
	'create',
	'update',
	'patch',
	'delete',
];

/** The worker, with the account and cluster role it makes run namespaces with. */
export function worker(input: Input, sha: string): ComponentGroup {
	const {namespace} = input.platform;
	const role = `${names.worker}-runtime-${namespace}`;
	return {
		component: 'worker',
		deployment: names.worker,
		objects: [
			{
				apiVersion: 'v1',
				kind: 'ServiceAccount',
				metadata: {name: names.worker, namespace, labels: labelsOf('worker')},
			},
			{
				apiVersion: 'rbac.authorization.k8s.io/v1',
				kind: 'ClusterRole',
				metadata: {name: role, labels: labelsOf('worker')},
				// The worker makes a namespace per run with its own account, role and quota.
				rules: [
					{apiGroups: [''], resources: ['namespaces'], verbs: everyVerb},
					{
						apiGroups: ['rbac.authorization.k8s.io'],
						resources: ['roles', 'rolebindings'],
						verbs: [...everyVerb, 'escalate', 'bind'],
					},
					{
						apiGroups: [''],
						resources: [
							'serviceaccounts',
							'resourcequotas',
							'limitranges',
							'pods',
							'pods/log',
							'secrets',
							'configmaps',
							'services',
							'events',
						],
						verbs: everyVerb,
					},
					{apiGroups: ['batch'], resources: ['jobs'], verbs: everyVerb},
				],
			},
			{
				apiVersion: 'rbac.authorization.k8s.io/v1',
				kind: 'ClusterRoleBinding',
				metadata: {name: role, labels: labelsOf('worker')},
				roleRef: {
					apiGroup: 'rbac.authorization.k8s.io',
					kind: 'ClusterRole',
					name: role,
				},
				subjects: [{kind: 'ServiceAccount', name: names.worker, namespace}],
			},
			deployment(
				input,
				{name: names.worker, component: 'worker'},
				{
					serviceAccountName: names.worker,
					containers: [
						{
							name: 'worker',
							image: imageOf('worker', sha),
							envFrom: platformEnv,
							env: [
								{
									name: 'CODEXK8S_WORKER_JOB_IMAGE',
									value: imageOf('agent-runner', sha),
								},
							],
						},
					],
				},
			),
		],
	};
}
