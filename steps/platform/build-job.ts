/**
 * One image build as a Kubernetes Job: `clone` (the platform repository at one commit, the token
 * read from a mounted Secret by a credential helper, never in args or the image) then `build`
 * (rootless BuildKit, pushing `:sha-<12>` and `:latest` to the node's registry, cache in the
 * registry). Both write their last log lines as the termination message when they fail, so the
 * installer can show them from the API alone.
 */

import type {Input} from '../../source/config/schema.js';
import type {PlatformComponent} from '../../source/config/platform-schema.js';
import type {KubeObject} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {platformSecrets} from '../kit-secrets.js';
import {labelsOf, registryHost, tagOf} from './names.js';
import {cloneUrlOf} from './revision.js';

/** Dockerfile folder and build context of each component (upstream spec, step 55). */
export const componentSources: Record<
	PlatformComponent,
	{dockerfile: string; context: string}
> = {
	'api-gateway': {dockerfile: 'services/external/api-gateway', context: '.'},
	'control-plane': {
		dockerfile: 'services/internal/control-plane',
		context: '.',
	},
	worker: {dockerfile: 'services/jobs/worker', context: '.'},
	'agent-runner': {dockerfile: 'services/jobs/agent-runner', context: '.'},
	'web-console': {
		dockerfile: 'services/staff/web-console',
		context: 'services/staff/web-console',
	},
};

export const buildJobName = (component: PlatformComponent, sha: string) =>
	`codex-k8s-build-${component}-${sha.slice(0, 12)}`;

/** The steps of a build, as the Job's containers are named: a failure names one. */
export const buildSteps = ['clone', 'build'] as const;

// The token file is read by git's credential helper at fetch time: it is never an argument.
const cloneScript = [
	'set -eu',
	'git init -q /workspace/src',
	'cd /workspace/src',

	'git -c credential.helper=\'!f() { echo username=x-access-token; echo "password=$(cat /run/secrets/git/token)"; }; f\' fetch -q --depth 1 "$REPO_URL" "$REVISION"',
	'git checkout -q FETCH_HEAD',
	'echo "checked out $REVISION"',
].join('\n');

// Skipped when the registry already has the commit's image (a Job deleted, a registry kept).
const buildScript = [
	'set -eu',
	'if wget -q -O /dev/null --header "Accept: application/vnd.oci.image.index.v1+json,application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json,application/vnd.docker.distribution.manifest.list.v2+json" "http://$REGISTRY/v2/$REPOSITORY/manifests/$TAG"; then',
	'  echo "$REGISTRY/$REPOSITORY:$TAG is already in the registry: not built again"',
	'  exit 0',
	'fi',
	'buildctl-daemonless.sh build --frontend dockerfile.v0 \\',
	'  --local "context=/workspace/src/$CONTEXT" --local "dockerfile=/workspace/src/$DOCKERFILE" \\',
	'  --output "type=image,\\"name=$REGISTRY/$REPOSITORY:$TAG,$REGISTRY/$REPOSITORY:latest\\",push=true,registry.insecure=true" \\',
	'  --import-cache "type=registry,ref=$REGISTRY/codex-k8s/buildkit-cache:$COMPONENT,registry.insecure=true" \\',
	'  --export-cache "type=registry,ref=$REGISTRY/codex-k8s/buildkit-cache:$COMPONENT,mode=max,registry.insecure=true"',
].join('\n');

const env = (values: Record<string, string>) =>
	Object.entries(values).map(([name, value]) => ({name, value}));

const rootless = {runAsUser: 1000, runAsGroup: 1000, runAsNonRoot: true};

/** The Git token as a file for the clone step (group-readable: pods run with fsGroup 1000). */
export const gitTokenVolume = {
	name: 'git-token',
	secret: {secretName: platformSecrets.gitToken, defaultMode: 0o440},
};

/** Checks the platform repository out at `sha` into the `workspace` volume's `src`. */
export const cloneContainer = (input: Input, sha: string) => ({
	name: 'clone',
	image: pins.gitImage,
	command: ['sh', '-c', cloneScript],
	env: env({HOME: '/workspace', REPO_URL: cloneUrlOf(input), REVISION: sha}),
	securityContext: rootless,
	terminationMessagePolicy: 'FallbackToLogsOnError',
	volumeMounts: [
		{name: 'workspace', mountPath: '/workspace'},
		{name: 'git-token', mountPath: '/run/secrets/git', readOnly: true},
	],
});

export function buildJob(
	input: Input,
	component: PlatformComponent,
	sha: string,
	podAnnotations: Record<string, string> = {},
): KubeObject {
	const source = componentSources[component];
	const labels = {
		...labelsOf('build'),
		'codex-k8s.dev/build-component': component,
		'codex-k8s.dev/build-revision': sha.slice(0, 12),
	};
	return {
		apiVersion: 'batch/v1',
		kind: 'Job',
		metadata: {
			name: buildJobName(component, sha),
			namespace: input.platform.namespace,
			labels,
		},
		spec: {
			backoffLimit: 0,
			activeDeadlineSeconds: 3600,
			template: {
				metadata: {labels, annotations: podAnnotations},
				spec: {
					restartPolicy: 'Never',
					// The registry listens on the node's loopback only.
					hostNetwork: true,
					dnsPolicy: 'ClusterFirstWithHostNet',
					automountServiceAccountToken: false,
					securityContext: {fsGroup: 1000},
					initContainers: [cloneContainer(input, sha)],
					containers: [
						{
							name: 'build',
							image: pins.buildkitImage,
							command: ['sh', '-c', buildScript],
							env: env({
								BUILDKITD_FLAGS: '--oci-worker-no-process-sandbox',
								REGISTRY: registryHost,
								REPOSITORY: `codex-k8s/${component}`,
								TAG: tagOf(sha),
								COMPONENT: component,
								CONTEXT: source.context,
								DOCKERFILE: source.dockerfile,
							}),
							securityContext: {
								...rootless,
								// Rootless BuildKit makes its own user namespaces: see docs/platform.md.
								seccompProfile: {type: 'Unconfined'},
								appArmorProfile: {type: 'Unconfined'},
							},
							terminationMessagePolicy: 'FallbackToLogsOnError',
							resources: {requests: {cpu: '250m', memory: '512Mi'}},
							volumeMounts: [
								{name: 'workspace', mountPath: '/workspace'},
								{
									name: 'buildkit',
									mountPath: '/home/user/.local/share/buildkit',
								},
							],
						},
					],
					volumes: [
						{name: 'workspace', emptyDir: {}},
						{name: 'buildkit', emptyDir: {}},
						gitTokenVolume,
					],
				},
			},
		},
	};
}
