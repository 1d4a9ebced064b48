import {secretFields} from '../config/fields.js';
import {
	type Layer,
	readLayers,
	resolveLayers,
	savedLayer,
} from '../config/load.js';
import {expandHome, getPath} from '../config/tree.js';
import {exitCodes, UsageError} from '../errors.js';
import {createInterrupt} from '../engine/interrupt.js';
import {runSteps, type RunResult} from '../engine/runner.js';
import type {Step} from '../engine/step.js';
import {githubForRun} from '../github/context.js';
import type {Input} from '../config/schema.js';
import {
	createKube,
	inClusterTransport,
	type Kube,
	serviceAccountDirectory,
} from '../kube/index.js';
import {createLogger} from '../log.js';
import {createLineRenderer} from '../report/line-renderer.js';
import {readPlatformAnswers} from '../../steps/platform/answers.js';
import {
	buildStepIds,
	deployStepIds,
	platformSteps,
} from '../../steps/platform/index.js';
import {failedEarly, reportRun} from './run-report.js';
import type {Invocation} from './index.js';

type InClusterCommand = 'build' | 'deploy';

const stepIds: Record<InClusterCommand, readonly string[]> = {
	build: buildStepIds,
	deploy: deployStepIds,
};

/**
 * The answers of an in-cluster run: the install's, kept in the platform's namespace, under the
 * workflow's environment and flags. The commit is the workflow's own (`GITHUB_SHA`) unless
 * CODEXK8S_BUILD_REF says otherwise.
 */
async function answersOf(invocation: Invocation, kube: Kube): Promise<Layer[]> {
	const {flags, env} = invocation;
	const home = env['HOME'];
	const given = readLayers({
		flags,
		env,
		configFile: flags['config'] as string | undefined,
		home,
	});
	const {input} = resolveLayers(given);
	const kept = await readPlatformAnswers(kube, input.platform.namespace);
	const sha = env['GITHUB_SHA'];
	const workflow: Layer[] =
		sha && /^[\da-f]{40}$/v.test(sha)
			? [
					{
						origin: 'the workflow run (GITHUB_SHA)',
						values: {platform: {buildRef: sha}},
						sources: {'platform.buildRef': 'GITHUB_SHA'},
					},
				]
			: [];
	return [...(kept ? [savedLayer(kept)] : []), ...workflow, ...given];
}

/** The input of a command run in the runner pod: the install's answers, the workflow's on top. */
export async function inClusterInput(
	invocation: Invocation,
	kube: Kube,
): Promise<Input> {
	return resolveLayers(await answersOf(invocation, kube)).input;
}

/**
 * `build --in-cluster` and `deploy --in-cluster`: the platform phase's own steps, run by the
 * deploy workflow in the runner pod with its service account — the same code the laptop's install
 * runs over SSH. (`status --in-cluster`, the smoke job, is status.ts's.)
 */
export async function runInCluster(
	invocation: Invocation,
	command: InClusterCommand,
): Promise<number> {
	const {flags, env, streams} = invocation;
	if (!flags['inCluster']) {
		throw new UsageError(
			`\`${command}\` runs inside the cluster only: pass --in-cluster (the deploy workflow does)`,
			'From this computer, `install` builds and deploys the platform (`install --only platform`).',
		);
	}

	const startedAt = Date.now();
	const log = createLogger(
		typeof flags['logFile'] === 'string'
			? expandHome(flags['logFile'], env['HOME'] ?? '')
			: undefined,
	);
	// The token's directory moves only for tests and debugging: the kubelet mounts it at the default.
	const transport = await inClusterTransport(
		env['CODEXK8S_SERVICE_ACCOUNT_DIR'] ?? serviceAccountDirectory,
		env,
	);
	const kube = createKube(transport);
	const input = await inClusterInput(invocation, kube);
	for (const field of secretFields) {
		log.addSecret(getPath(input, field.path) as string | undefined);
	}

	const wanted = new Set(stepIds[command]);
	const steps: Step[] = platformSteps.filter(
		step => wanted.has(step.id) && (!step.when || step.when(input)),
	);
	const interrupt = createInterrupt({
		notify(message) {
			streams.stderr.write(`\n${message}\n`);
		},
	});
	let result: RunResult;
	try {
		result = await runSteps(
			steps,
			{
				input,
				signal: interrupt.signal,
				log,
				phases: ['platform'],
				github: githubForRun(input, log),
				kube: async () => kube,
				local: {nodeVersion: process.versions.node, home: env['HOME'] ?? ''},
			},
			{
				command,
				dryRun: false,
				sink: createLineRenderer(streams.stderr, {
					output: Boolean(flags['verbose']),
				}),
			},
		);
	} catch (error) {
		result = failedEarly(error, Date.now() - startedAt);
	} finally {
		interrupt.dispose();
	}

	await reportRun(invocation, {mode: input.mode, result, log});
	return result.ok ? exitCodes.ok : exitCodes.failed;
}
