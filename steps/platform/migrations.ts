import {UserError} from '../../source/errors.js';
import type {Input} from '../../source/config/schema.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {
	apply,
	type Kube,
	type KubeObject,
	progressLine,
	waitForJob,
} from '../../source/kube/index.js';
import {kubeOf} from '../kit.js';
import {platformSecrets} from '../kit-secrets.js';
import {cloneContainer, gitTokenVolume} from './build-job.js';
import {deleteJob, failedStepOf, jobState, lastLines} from './jobs.js';
import {imageOf, labelsOf, names} from './names.js';
import {revisionOf} from './revision.js';

const imageAnnotation = 'codex-k8s.dev/image';

const migrationsDir =
	'/workspace/src/services/internal/control-plane/cmd/cli/migrations';

// Postgres may still be starting: goose is retried every 2 s for a minute (as upstream).
const migrateScript = [
	'set -u',
	'for attempt in $(seq 1 30); do',
	`  goose -dir ${migrationsDir} up && exit 0`,
	'  echo "goose up failed (attempt $attempt of 30); retrying in 2 s"',
	'  sleep 2',
	'done',
	'exit 1',
].join('\n');

const fromSecret = (name: string, key: string) => ({
	name,
	valueFrom: {secretKeyRef: {name: platformSecrets.postgres, key}},
});

export function migrationsJob(input: Input, sha: string): KubeObject {
	const image = imageOf('control-plane', sha);
	return {
		apiVersion: 'batch/v1',
		kind: 'Job',
		metadata: {
			name: names.migrate,
			namespace: input.platform.namespace,
			labels: labelsOf('migrations'),
			annotations: {[imageAnnotation]: image},
		},
		spec: {
			backoffLimit: 0,
			template: {
				metadata: {labels: labelsOf('migrations')},
				spec: {
					restartPolicy: 'Never',
					automountServiceAccountToken: false,
					securityContext: {fsGroup: 1000},
					initContainers: [cloneContainer(input, sha)],
					containers: [
						{
							name: 'migrate',
							image,
							command: ['sh', '-c', migrateScript],
							// The password reaches goose in its environment, never in an argument.
							env: [
								fromSecret('PGUSER', 'CODEXK8S_POSTGRES_USER'),
								fromSecret('PGPASSWORD', 'CODEXK8S_POSTGRES_PASSWORD'),
								fromSecret('PGDATABASE', 'CODEXK8S_POSTGRES_DB'),
								{name: 'GOOSE_DRIVER', value: 'postgres'},
								{
									name: 'GOOSE_DBSTRING',
									value: `postgres://$(PGUSER):$(PGPASSWORD)@${names.postgres}:5432/$(PGDATABASE)?sslmode=disable`,
								},
							],
							terminationMessagePolicy: 'FallbackToLogsOnError',
							volumeMounts: [{name: 'workspace', mountPath: '/workspace'}],
						},
					],
					volumes: [{name: 'workspace', emptyDir: {}}, gitTokenVolume],
				},
			},
		},
	};
}

type Decision = {line?: string; recreate: boolean};

async function decide(
	context: StepContext,
	kube: Kube,
	sha: string,
): Promise<Decision> {
	const {namespace} = context.input.platform;
	const image = imageOf('control-plane', sha);
	const {state, job} = await jobState(
		kube,
		namespace,
		names.migrate,
		context.signal,
	);
	const ran = job?.metadata.annotations?.[imageAnnotation];
	const name = `Job ${namespace}/${names.migrate}`;
	if (state === 'absent') {
		return {line: `create ${name}: goose up with ${image}`, recreate: false};
	}

	if (ran !== image) {
		return {
			line: `recreate ${name}: goose up with ${image} (it ran ${ran ?? 'another image'})`,
			recreate: true,
		};
	}

	return {
		complete: {recreate: false},
		running: {
			line: `wait for ${name} (goose up with ${image})`,
			recreate: false,
		},
		failed: {line: `recreate ${name}: its last run failed`, recreate: true},
	}[state];
}

/**
 * `platform.migrations`: `goose up` with the control-plane image of the commit deployed. A Job's
 * pod template cannot change, so a new image means a new Job of the same name (upstream's);
 * its annotation records which image it ran.
 */
export const platformMigrations: Step = {
	id: 'platform.migrations',
	runbook: input => ({
		check: [
			String.raw`kubectl -n ${input.platform.namespace} get job codex-k8s-migrate -o jsonpath='{.metadata.annotations}{"\n"}{.status.conditions}'`,
		],
		fix: [
			`kubectl -n ${input.platform.namespace} logs job/codex-k8s-migrate -c migrate`,
			'codex-k8s-install install --only platform (the Job runs again)',
		],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'Database migrations',
	reach: 'cluster',
	describe: input => [
		`Job ${input.platform.namespace}/${names.migrate}: goose up with the control-plane image of the commit deployed, run again for each new image, waited until complete`,
	],
	async check(context): Promise<Finding> {
		const kube = await kubeOf(context);
		const {line} = await decide(context, kube, await revisionOf(context));
		return line ? {kind: 'change', changes: [line]} : {kind: 'done'};
	},
	async apply(context) {
		const kube = await kubeOf(context);
		const sha = await revisionOf(context);
		const {recreate} = await decide(context, kube, sha);
		const {namespace} = context.input.platform;
		if (recreate) {
			await deleteJob(kube, namespace, names.migrate, context.signal);
		}

		await apply(kube, migrationsJob(context.input, sha), {
			force: true,
			signal: context.signal,
		});
		try {
			await waitForJob(kube, namespace, names.migrate, {
				limitMs: context.input.timeouts.rollout * 1000,
				signal: context.signal,
				progress(event) {
					context.output(progressLine(event));
				},
			});
		} catch (error) {
			const failure =
				error instanceof UserError
					? await failedStepOf(kube, namespace, names.migrate, context.signal)
					: undefined;
			if (!failure) {
				throw error;
			}

			throw new UserError(
				`Database migrations failed at their ${failure.step} step (exit ${failure.exitCode ?? '?'})`,
				{
					hint: `Last lines:\n${lastLines(failure.lines)}\nFix the cause, then run again: the Job is run again.`,
					cause: error,
				},
			);
		}
	},
	async verify(context) {
		const finding = await platformMigrations.check(context);
		if (finding.kind !== 'done') {
			throw new UserError('Database migrations did not complete');
		}
	},
};
