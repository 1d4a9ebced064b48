/**
 * The platform phase against the test cluster: an input with a canary value in every secret
 * input, a context whose log and output are kept for the canary search, and a run of the steps
 * as the engine runs them (check, apply when there are changes, verify).
 */

import {mkdtempSync, readFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {Input} from '../../source/config/schema.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import type {Kube, KubeObject} from '../../source/kube/index.js';
import {createLogger} from '../../source/log.js';
import {platformSteps} from '../../steps/platform/index.js';
import {baseInput, fakeContext} from './fake-steps.js';
import {fakeSecret} from './secrets.js';

export const revision = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0';

/** Canary values for every secret input the platform phase takes. */
export const canaries = () => ({
	githubToken: fakeSecret('github_pat_CANARY'),
	gitBotToken: fakeSecret('ghp_CANARYBOT'),
	oauthClientSecret: fakeSecret('CANARYOAUTH'),
	openaiApiKey: fakeSecret('sk-CANARY'),
});

export function platformInput(
	namespace: string,
	secrets: Partial<ReturnType<typeof canaries>>,
	overrides: {platform?: Record<string, unknown>} & Record<
		string,
		unknown
	> = {},
): Input {
	const {platform = {}, ...rest} = overrides;
	return baseInput({
		mode: 'local',
		github: {repo: 'acme/codex-k8s', token: secrets.githubToken},
		platform: {
			namespace,
			ownerEmail: 'owner@example.com',
			oauthClientId: 'Iv1.0123456789abcdef',
			oauthClientSecret: secrets.oauthClientSecret,
			gitBotToken: secrets.gitBotToken,
			openaiApiKey: secrets.openaiApiKey,
			buildRef: revision,
			...platform,
		},
		...rest,
	});
}

export type Recorded = {context: StepContext; lines: string[]; logFile: string};

export function recordingContext(kube: Kube, input: Input): Recorded {
	const logFile = join(mkdtempSync(join(tmpdir(), 'platform-log-')), 'run.log');
	const lines: string[] = [];
	const context = fakeContext({
		input,
		kube: async () => kube,
		phases: ['platform'],
		log: createLogger(logFile),
		output(line) {
			lines.push(line);
		},
	});
	return {context, lines, logFile};
}

export const stepsFor = (
	input: Input,
	steps: readonly Step[] = platformSteps,
) => steps.filter(step => !step.when || step.when(input));

/** Each step as the engine runs it; the findings by step id (what the plan showed). */
export async function runPhase(
	context: StepContext,
	steps: readonly Step[] = stepsFor(context.input),
): Promise<Map<string, Finding>> {
	const findings = new Map<string, Finding>();
	for (const step of steps) {
		// eslint-disable-next-line no-await-in-loop -- in order, as the engine runs them
		const finding = await step.check(context);
		findings.set(step.id, finding);
		if (finding.kind === 'new' || finding.kind === 'change') {
			// eslint-disable-next-line no-await-in-loop
			await step.apply!(context, finding);
			// eslint-disable-next-line no-await-in-loop
			await step.verify?.(context);
		}
	}

	return findings;
}

/** Every check's finding, read-only: what `plan --probe` would show. */
export async function planPhase(
	context: StepContext,
): Promise<Map<string, Finding>> {
	const findings = new Map<string, Finding>();
	for (const step of stepsFor(context.input)) {
		// eslint-disable-next-line no-await-in-loop
		findings.set(step.id, await step.check(context));
	}

	return findings;
}

export async function secretData(
	kube: Kube,
	namespace: string,
	name: string,
): Promise<Record<string, string>> {
	const secret = await kube.read<{data: Record<string, string>}>(
		`/api/v1/namespaces/${namespace}/secrets/${name}`,
	);
	return secret?.data ?? {};
}

const listed = [
	'/api/v1/namespaces/NS/configmaps',
	'/api/v1/namespaces/NS/services',
	'/api/v1/namespaces/NS/serviceaccounts',
	'/api/v1/namespaces/NS/pods',
	'/api/v1/namespaces/NS/events',
	'/api/v1/namespaces/NS/persistentvolumeclaims',
	'/apis/apps/v1/namespaces/NS/deployments',
	'/apis/apps/v1/namespaces/NS/replicasets',
	'/apis/apps/v1/namespaces/NS/statefulsets',
	'/apis/apps/v1/namespaces/NS/controllerrevisions',
	'/apis/batch/v1/namespaces/NS/jobs',
	'/apis/networking.k8s.io/v1/namespaces/NS/ingresses',
	'/apis/rbac.authorization.k8s.io/v1/clusterroles',
	'/apis/rbac.authorization.k8s.io/v1/clusterrolebindings',
];

/** Every object of the namespace (and the cluster roles) that is not a Secret, as one text. */
export async function everythingButSecrets(
	kube: Kube,
	namespace: string,
): Promise<string> {
	const lists = await Promise.all(
		listed.map(async path =>
			kube.read<{items: KubeObject[]}>(path.replace('NS', namespace)),
		),
	);
	return JSON.stringify(lists);
}

export const readLog = (file: string) => readFileSync(file, 'utf8');
