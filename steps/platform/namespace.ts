import type {Input} from '../../source/config/schema.js';
import {labelVariables} from '../../source/github/labels.js';
import type {KubeObject} from '../../source/kube/index.js';
import {objectsStep} from '../kit-objects.js';
import {answersConfigMap} from './answers.js';
import {
	labelsOf,
	names,
	platformLabels,
	ports,
	postgresDatabase,
	publicBaseUrl,
} from './names.js';

/** The platform's settings the components read (upstream's deploy resources, spec §2.1). */
export function deployResources(input: Input): Record<string, string> {
	const {platform, github} = input;
	const {namespace} = platform;
	const controlPlane = `${names.controlPlane}.${namespace}.svc.cluster.local`;
	return {
		CODEXK8S_ENV: 'ai-staging',
		CODEXK8S_HOT_RELOAD: 'false',
		CODEXK8S_STAGING_NAMESPACE: namespace,
		CODEXK8S_PUBLIC_BASE_URL: publicBaseUrl(input),
		CODEXK8S_GITHUB_REPO: github.repo ?? '',
		CODEXK8S_FIRST_PROJECT_GITHUB_REPO:
			github.firstProjectRepo ?? github.repo ?? '',
		CODEXK8S_BOOTSTRAP_OWNER_EMAIL: platform.ownerEmail ?? '',
		CODEXK8S_BOOTSTRAP_ALLOWED_EMAILS: platform.allowedEmails.join(','),
		CODEXK8S_GITHUB_OAUTH_CLIENT_ID: platform.oauthClientId ?? '',
		CODEXK8S_JWT_TTL: '15m',
		CODEXK8S_MCP_TOKEN_TTL: '24h',
		CODEXK8S_GIT_BOT_USERNAME: platform.gitBotUsername,
		CODEXK8S_GIT_BOT_MAIL: platform.gitBotEmail,
		CODEXK8S_AGENT_DEFAULT_MODEL: platform.agentModel,
		CODEXK8S_AGENT_DEFAULT_LOCALE: platform.agentLocale,
		CODEXK8S_AGENT_BASE_BRANCH: platform.baseBranch,
		CODEXK8S_POSTGRES_HOST: names.postgres,
		CODEXK8S_POSTGRES_PORT: String(ports.postgres),
		CODEXK8S_POSTGRES_DB: postgresDatabase,
		CODEXK8S_CONTROL_PLANE_GRPC_TARGET: `${controlPlane}:${ports.controlPlaneGrpc}`,
		CODEXK8S_CONTROL_PLANE_MCP_BASE_URL: `http://${controlPlane}:${ports.controlPlaneHttp}/mcp`,
		CODEXK8S_PLATFORM_MCP_PORT: String(ports.controlPlaneHttp),
		CODEXK8S_WORKER_K8S_NAMESPACE: namespace,
		CODEXK8S_WORKER_POLL_INTERVAL: '5s',
		CODEXK8S_WORKER_CLAIM_LIMIT: '2',
		CODEXK8S_WORKER_JOB_COMMAND: '/usr/local/bin/codex-k8s-agent-runner',
		CODEXK8S_WORKER_JOB_TTL_SECONDS: '600',
		CODEXK8S_WORKER_JOB_BACKOFF_LIMIT: '0',
		CODEXK8S_WORKER_JOB_ACTIVE_DEADLINE_SECONDS: '900',
		CODEXK8S_WORKER_RUN_NAMESPACE_PREFIX: 'codex-issue',
		CODEXK8S_WORKER_RUN_NAMESPACE_CLEANUP: 'true',
		CODEXK8S_RUN_AGENT_LOGS_RETENTION_DAYS: '14',
	};
}

export function namespaceObjects(input: Input): KubeObject[] {
	const {namespace} = input.platform;
	return [
		{
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name: namespace, labels: {...platformLabels}},
		},
		{
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: {
				name: names.deployResources,
				namespace,
				labels: labelsOf('settings'),
			},
			data: deployResources(input),
		},
		{
			apiVersion: 'v1',
			kind: 'ConfigMap',
			metadata: {
				name: names.labelCatalog,
				namespace,
				labels: labelsOf('settings'),
			},
			data: Object.fromEntries(labelVariables()),
		},
		answersConfigMap(input),
	];
}

/** `platform.namespace`: the namespace, the platform's settings, the label catalog. */
export const platformNamespace = objectsStep({
	id: 'platform.namespace',
	runbook: input => ({
		check: [
			`kubectl get namespace ${input.platform.namespace}; kubectl -n ${input.platform.namespace} get configmaps`,
		],
		fix: ['codex-k8s-install install --only platform'],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'Platform namespace and settings',
	inputs: input => namespaceObjects(input),
	describe: input => [
		`namespace ${input.platform.namespace} with ConfigMaps ${names.deployResources} (the platform's settings), ${names.labelCatalog} (assets/labels.json) and ${names.answers} (the answers the deploy workflow reuses)`,
	],
	objects: context => namespaceObjects(context.input),
});
