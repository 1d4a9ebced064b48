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
import {deleteJob, failedStepOf, jobState, lastLines} from './jobs.js';
import {imageOf, tagOf} from './names.js';
import {revisionOf} from './revision.js';

type Planned = {component: PlatformComponent; line?: string; rerun: boolean};

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
			return {component, line: lines[state], rerun: state === 'failed'};
		}),
	);
}

/** A failed build in words: the component, the failing step and its last lines. */
async function buildFailed(
	kube: Kube,
	context: StepContext,
	component: PlatformComponent,
	sha: string,
	cause: unknown,
): Promise<UserError> {
	const namespace = context.input.platform.namespace;
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
	kube: Kube,
	context: StepContext,
	{component, rerun}: Planned,
	sha: string,
): Promise<void> {
	const {input, signal} = context;
	const namespace = input.platform.namespace;
	const name = buildJobName(component, sha);
	if (rerun) {
		await deleteJob(kube, namespace, name, signal);
	}

	await apply(kube, buildJob(input, component, sha), {force: true, signal});
	try {
		await waitForJob(kube, namespace, name, {
			limitMs: 3600 * 1000,
			signal,
			progress: event => context.output(`${component}: ${progressLine(event)}`),
		});
	} catch (error) {
		if (error instanceof UserError) {
			throw await buildFailed(kube, context, component, sha, error);
		}

		throw error;
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
export const platformBuild: Step = {
	id: 'platform.build',
	phase: 'platform',
	title: 'Build the platform images',
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
		const queue = (await planBuilds(context, kube, sha)).filter(
			each => each.line,
		);
		const failures: UserError[] = [];
		const worker = async () => {
			for (let next = queue.shift(); next; next = queue.shift()) {
				try {
					// eslint-disable-next-line no-await-in-loop -- each worker builds one at a time
					await buildOne(kube, context, next, sha);
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
				hint: [first!.hint, ...others.map(other => other.message)]
					.filter(Boolean)
					.join('\n'),
			});
		}

		return `images ${tagOf(sha)} of ${context.input.platform.buildComponents.join(', ')} built`;
	},
	async verify(context) {
		const finding = await platformBuild.check(context);
		if (finding.kind !== 'done') {
			throw new UserError('Build the platform images: not every build completed', {
				hint: finding.kind === 'new' ? finding.changes.join('\n') : undefined,
			});
		}
	},
};
