import type {Removal, StepContext} from '../../source/engine/step.js';
import {UserError} from '../../source/errors.js';
import {exists, type Kube, remove} from '../../source/kube/index.js';
import {poll} from '../../source/wait.js';
import {kubeOf} from '../kit.js';
import {kubeIfRunning} from '../kit-objects.js';
import {platformSecrets} from '../kit-secrets.js';
import {deleteJob} from './jobs.js';
import {platformLabels} from './names.js';

/** Every build Job the installer made, whatever its component and commit. */
const buildSelector = [
	'codex-k8s.dev/build-component',
	`app.kubernetes.io/managed-by=${platformLabels['app.kubernetes.io/managed-by']}`,
].join(',');

async function buildJobs(kube: Kube, context: StepContext): Promise<string[]> {
	const {namespace} = context.input.platform;
	const jobs = await kube.read<{items: Array<{metadata: {name: string}}>}>(
		`/apis/batch/v1/namespaces/${namespace}/jobs?labelSelector=${encodeURIComponent(buildSelector)}`,
		context.signal,
	);
	return (jobs?.items ?? []).map(job => job.metadata.name);
}

/** The Secret the build Jobs clone with: a copy of the GitHub token. */
const gitTokenSecret = (namespace: string) => ({
	apiVersion: 'v1',
	kind: 'Secret',
	metadata: {name: platformSecrets.gitToken, namespace},
});

/**
 * `platform.build`'s removal: its Jobs (a running build stops; their pods go with them) and the
 * Secret they clone with, so no copy of the GitHub token is left for them. Images stay in the
 * registry until k3s goes.
 */
export const buildRemoval: Removal = {
	async check(context) {
		const kube = await kubeIfRunning(context);
		if (!kube) {
			return [];
		}

		const {namespace} = context.input.platform;
		const [jobs, secret] = await Promise.all([
			buildJobs(kube, context),
			exists(kube, gitTokenSecret(namespace), context.signal),
		]);
		return [
			...jobs.map(name => `delete Job ${namespace}/${name}`),
			...(secret
				? [
						`delete Secret ${namespace}/${platformSecrets.gitToken} (the token the builds clone with)`,
					]
				: []),
		];
	},
	async apply(context) {
		const kube = await kubeOf(context);
		const {namespace} = context.input.platform;
		for (const name of await buildJobs(kube, context)) {
			// eslint-disable-next-line no-await-in-loop -- one at a time, each waited until gone
			await deleteJob(kube, namespace, name, context.signal);
		}

		const secret = gitTokenSecret(namespace);
		await remove(kube, secret, {signal: context.signal});
		// Deleted in the foreground: the API keeps it until the garbage collector lets it go.
		const gone = await poll(
			async () =>
				(await exists(kube, secret, context.signal)) ? undefined : true,
			{
				delayMs: 200,
				maxDelayMs: 2000,
				timeoutMs: 60_000,
				signal: context.signal,
			},
		);
		if (!gone) {
			throw new UserError(
				`Secret ${namespace}/${platformSecrets.gitToken} is still there after deleting it`,
				{
					hint: `Look at its finalizers: kubectl -n ${namespace} get secret ${platformSecrets.gitToken} -o yaml`,
				},
			);
		}
	},
};
