import type {PlatformComponent} from '../../source/config/platform-schema.js';
import {UserError} from '../../source/errors.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {
	apply,
	type Kube,
	progressLine,
	waitForJob,
} from '../../source/kube/index.js';
import {pins} from '../../source/pins.js';
import {kubeOf} from '../kit.js';
import {buildJob, buildJobName} from './build-job.js';
import {buildRemoval} from './build-removal.js';
import {deleteJob, failedStepOf, jobState, lastLines} from './jobs.js';
import {imageOf, tagOf} from './names.js';
import {revisionOf} from './revision.js';

type Planned = {
	component: PlatformComponent;
	line?: string;
	state: 'absent' | 'running' | 'complete' | 'failed';
};

/** For tests: annotations on the build pods (the test cluster's node reads faults from them). */
export type BuildOptions = {podAnnotations?: Record<string, string>};

async function planBuilds(
	context: StepContext,
	kube: Kube,
	sha: string,
): Promise<Planned[]> {
	const {input, signal} = context;
	return Promise.all(
		input.platform.buildComponents.map(async component => {
			const {state} = await jobState(
				kube,
				input.platform.namespace,
				buildJobName(component, sha),
				signal,
			);
			const image = imageOf(component, sha);
			const lines: Record<typeof state, string | undefined> = {
				complete: undefined,
				running: `wait for the running build of ${image}`,
				failed: `build ${image} again (its last build failed)`,
				absent: `build ${image} and :latest (not again if the registry has it)`,
			};
			return {component, line: lines[state], state};
		}),
	);
}

/** A failed build in words: the component, the failing step and its last lines. */
type BuildRun = {
	kube: Kube;
	context: StepContext;
	sha: string;
	options: BuildOptions;
};

async function buildFailed(
	{kube, context, sha}: BuildRun,
	component: PlatformComponent,
	cause: unknown,
): Promise<UserError> {
	const {namespace} = context.input.platform;
	const name = buildJobName(component, sha);
	const failure = await failedStepOf(kube, namespace, name, context.signal);
	if (!failure) {
		return new UserError(`Building ${component} (${tagOf(sha)}) failed`, {
			hint: `${(cause as Error).message}\nLook at Job ${namespace}/${name}; run again to retry the build.`,
			cause,
		});
	}

	return new UserError(
		`Building ${component} (${tagOf(sha)}) failed at its ${failure.step} step (exit ${failure.exitCode ?? '?'})`,
		{
			hint: `Last lines of ${failure.step}:\n${lastLines(failure.lines)}\nFix the cause, then run again: images already built are kept, this one is built again.`,
			cause,
		},
	);
}

async function buildOne(
	run: BuildRun,
	{component, state}: Planned,
): Promise<void> {
	const {kube, context, sha, options} = run;
	const {input, signal} = context;
	const {namespace} = input.platform;
	const name = buildJobName(component, sha);
	if (state === 'failed') {
		await deleteJob(kube, namespace, name, signal);
	}

	// A running build (another deploy's, or one cut short) is waited for, not started again.
	if (state !== 'running') {
		await apply(kube, buildJob(input, component, sha, options.podAnnotations), {
			force: true,
			signal,
		});
	}

	try {
		await waitForJob(kube, namespace, name, {
			limitMs: 3600 * 1000,
			signal,
			progress(event) {
				context.output(`${component}: ${progressLine(event)}`);
			},
		});
	} catch (error) {
		if (error instanceof UserError) {
			throw await buildFailed(run, component, error);
		}

		throw error;
	}

	await forgetOlderBuilds(run, component);
}

/**
 * The Jobs of this component's earlier commits are deleted once a newer one is built: the
 * registry keeps their images, and one completed Job per component is the record that counts.
 */
async function forgetOlderBuilds(
	{kube, context, sha}: BuildRun,
	component: PlatformComponent,
): Promise<void> {
	const {namespace} = context.input.platform;
	const selector = `codex-k8s.dev/build-component=${component},codex-k8s.dev/build-revision!=${sha.slice(0, 12)}`;
	const jobs = await kube.read<{items: Array<{metadata: {name: string}}>}>(
		`/apis/batch/v1/namespaces/${namespace}/jobs?labelSelector=${encodeURIComponent(selector)}`,
		context.signal,
	);
	for (const job of jobs?.items ?? []) {
		// eslint-disable-next-line no-await-in-loop -- a few, one at a time
		await kube.request(
			'DELETE',
			`/apis/batch/v1/namespaces/${namespace}/jobs/${job.metadata.name}`,
			{query: {propagationPolicy: 'Background'}, signal: context.signal},
		);
	}
}

/** Two builds at a time: a staging server is small, and BuildKit uses every core it gets. */
const parallelBuilds = 2;

/**
 * `platform.build`: one BuildKit Job per component for the commit being deployed. A completed Job
 * of that commit is the record that its image is built; a Job whose image is already in the
 * registry ends at once (the laptop cannot ask the registry: it listens on the node's loopback
 * only, and the API server's proxies reach pods and nodes, not a node's loopback).
 */
export function buildStep(options: BuildOptions = {}): Step {
	const step: Step = {
		id: 'platform.build',
		runbook: input => ({
			check: [
				`kubectl -n ${input.platform.namespace} get jobs -l codex-k8s.dev/build-component`,
			],
			fix: [
				`kubectl -n ${input.platform.namespace} logs job/<the failed build Job> -c build (or -c clone)`,
				'codex-k8s-install install --only platform (failed builds run again, built ones are kept)',
			],
		}),
		phase: 'platform',
		requires: ['cluster'],
		title: 'Build the platform images',
		remove: buildRemoval,
		reach: 'cluster',
		inputs: input => ({
			components: input.platform.buildComponents,
			ref: input.platform.buildRef ?? input.platform.baseBranch,
		}),
		describe: input => [
			`builds ${input.platform.buildComponents.join(', ')} from ${input.github.repo ?? 'the platform repository'} at ${input.platform.buildRef ?? input.platform.baseBranch} with rootless BuildKit (${pins.buildkitImage}) in Jobs of ${input.platform.namespace}`,
			'pushes 127.0.0.1:5000/codex-k8s/<component>:sha-<12> and :latest; a commit already built is not built again',
		],
		async check(context): Promise<Finding> {
			const kube = await kubeOf(context);
			const sha = await revisionOf(context);
			const planned = await planBuilds(context, kube, sha);
			const lines = planned.flatMap(each => each.line ?? []);
			return lines.length === 0
				? {kind: 'done'}
				: {kind: 'new', changes: lines};
		},
		async apply(context) {
			const kube = await kubeOf(context);
			const sha = await revisionOf(context);
			const planned = await planBuilds(context, kube, sha);
			const queue = planned.filter(each => each.line);
			const failures: UserError[] = [];
			const worker = async () => {
				for (let next = queue.shift(); next; next = queue.shift()) {
					try {
						// eslint-disable-next-line no-await-in-loop -- each worker builds one at a time
						await buildOne({kube, context, sha, options}, next);
					} catch (error) {
						if (!(error instanceof UserError) || context.signal.aborted) {
							throw error;
						}

						failures.push(error);
					}
				}
			};

			await Promise.all(
				Array.from({length: parallelBuilds}, async () => worker()),
			);
			if (failures.length > 0) {
				// The first failure is the message; the others follow in its hint.
				const [first, ...others] = failures;
				throw new UserError(first!.message, {
					hint: [
						...new Set([first!.hint, ...others.map(other => other.message)]),
					]
						.filter(Boolean)
						.join('\n'),
				});
			}

			return `images ${tagOf(sha)} of ${context.input.platform.buildComponents.join(', ')} built`;
		},
		async verify(context) {
			const finding = await step.check(context);
			if (finding.kind !== 'done') {
				throw new UserError(
					'Build the platform images: not every build completed',
					{
						hint:
							finding.kind === 'new' ? finding.changes.join('\n') : undefined,
					},
				);
			}
		},
	};
	return step;
}

export const platformBuild = buildStep();
