import {Buffer} from 'node:buffer';
import type {Input} from '../../source/config/schema.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {apply, type Kube} from '../../source/kube/index.js';
import {kubeOf, verifyConverged} from '../kit.js';
import {readSecretData} from '../kit-secrets.js';
import {labelsOf} from './names.js';
import {
	decideKey,
	decisionWords,
	type KeyDecision,
	secretSpecs,
} from './secret-values.js';

type Decided = {
	name: string;
	exists: boolean;
	decisions: KeyDecision[];
};

async function decideAll(context: StepContext, kube: Kube): Promise<Decided[]> {
	const {input, signal, log} = context;
	const {namespace} = input.platform;
	return Promise.all(
		secretSpecs(input).map(async spec => {
			const live = await readSecretData(kube, namespace, spec.name, signal);
			const decisions = spec.keys.map(key => decideKey(key, input, live));
			for (const decision of decisions) {
				log.addSecret(decision.value);
			}

			return {name: spec.name, exists: live !== undefined, decisions};
		}),
	);
}

/** Needed values that are neither given nor kept, in words; empty when all are there. */
function missingOf(decided: Decided[]): string[] {
	const missing = decided.flatMap(({name, decisions}) =>
		decisions
			.filter(decision => decision.how === 'missing')
			.map(decision => `${decision.required!} (for ${name})`),
	);
	const runtime = decided.find(each => each.name.endsWith('runtime'));
	const openai = runtime?.decisions.filter(decision =>
		decision.key.startsWith('CODEXK8S_OPENAI_'),
	);
	if (openai?.every(decision => decision.how === 'absent')) {
		missing.push('CODEXK8S_OPENAI_API_KEY or CODEXK8S_OPENAI_AUTH_FILE');
	}

	return [...new Set(missing)];
}

function linesOf(namespace: string, decided: Decided[]): string[] {
	return decided.flatMap(({name, exists, decisions}) => {
		const words = decisions.flatMap(decision => decisionWords(decision) ?? []);
		if (words.length === 0) {
			return [];
		}

		const kept = decisions.filter(decision => decision.how === 'kept').length;
		const tail = kept > 0 ? `; ${kept} kept` : '';
		return [
			`${exists ? 'update' : 'create'} Secret ${namespace}/${name}: ${words.join(', ')}${tail}`,
		];
	});
}

const secretObject = (input: Input, {name, decisions}: Decided) => ({
	apiVersion: 'v1',
	kind: 'Secret',
	metadata: {
		name,
		namespace: input.platform.namespace,
		labels: labelsOf('secrets'),
	},
	type: 'Opaque',
	data: Object.fromEntries(
		decisions.flatMap(({key, value}) =>
			value === undefined ? [] : [[key, Buffer.from(value).toString('base64')]],
		),
	),
});

/**
 * `platform.secrets`. Not an objectsStep: its check is the API's dry-run diff, which can only
 * say a Secret's values changed "(hidden) → (hidden)"; this step's plan says per key whether it
 * is kept, generated or replaced, without ever showing a value, and a value is generated only
 * when the cluster has none.
 */
export const platformSecretsStep: Step = {
	id: 'platform.secrets',
	runbook: input => ({
		check: [
			`kubectl -n ${input.platform.namespace} get secrets codex-k8s-postgres codex-k8s-runtime codex-k8s-oauth2-proxy codex-k8s-git-token`,
		],
		fix: [
			'codex-k8s-install install --only platform (kept values stay; give a value to replace it, e.g. CODEXK8S_JWT_SIGNING_KEY_FILE)',
		],
	}),
	phase: 'platform',
	requires: ['cluster'],
	title: 'Platform secrets',
	reach: 'cluster',
	inputs: input => input.platform.namespace,
	describe: input => [
		`Secrets codex-k8s-postgres, codex-k8s-runtime, codex-k8s-oauth2-proxy and codex-k8s-git-token in ${input.platform.namespace}`,
		'each value: the one given, else the one already in the cluster, else a new random one (generated once, kept on every later run)',
	],
	async check(context): Promise<Finding> {
		const kube = await kubeOf(context);
		const decided = await decideAll(context, kube);
		const missing = missingOf(decided);
		if (missing.length > 0) {
			return {
				kind: 'blocked',
				problem: `needed values are neither given nor kept in the cluster: ${missing.join(', ')}`,
				hint: 'Give them (environment variable, its _FILE variant, or the config file): docs/configuration.md.',
			};
		}

		const lines = linesOf(context.input.platform.namespace, decided);
		if (lines.length === 0) {
			const kept = decided
				.flatMap(each => each.decisions)
				.filter(decision => decision.how === 'kept').length;
			return {
				kind: 'done',
				note: `every value kept (${kept} in ${decided.length} Secrets)`,
			};
		}

		return {
			kind: decided.some(each => each.exists) ? 'change' : 'new',
			changes: lines,
		};
	},
	async apply(context) {
		const kube = await kubeOf(context);
		// Decided again against the cluster as it is now: what the check generated is not kept.
		for (const decided of await decideAll(context, kube)) {
			// eslint-disable-next-line no-await-in-loop -- four Secrets, in order
			await apply(kube, secretObject(context.input, decided), {
				force: true,
				signal: context.signal,
			});
		}
	},
	async verify(context) {
		await verifyConverged(platformSecretsStep, context);
	},
};
