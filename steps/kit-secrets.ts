/**
 * The platform's Secrets as more than one phase needs them: the platform phase writes them, the
 * github phase's webhook takes its secret from there (phases never import each other).
 */

import {Buffer} from 'node:buffer';
import type {StepContext} from '../source/engine/step.js';
import type {Kube} from '../source/kube/index.js';
import {kubeOf} from './kit.js';

/** Secret names and the keys other phases read: upstream's (spec §2.3, step 60). */
export const platformSecrets = {
	postgres: 'codex-k8s-postgres',
	runtime: 'codex-k8s-runtime',
	oauth2Proxy: 'codex-k8s-oauth2-proxy',
	gitToken: 'codex-k8s-git-token',
} as const;

export const webhookSecretKey = 'CODEXK8S_GITHUB_WEBHOOK_SECRET';

/** A Secret's values, decoded; `undefined` when the Secret does not exist. */
export async function readSecretData(
	kube: Kube,
	namespace: string,
	name: string,
	signal?: AbortSignal,
): Promise<Map<string, string> | undefined> {
	const secret = await kube.read<{data?: Record<string, string>}>(
		`/api/v1/namespaces/${namespace}/secrets/${name}`,
		signal,
	);
	if (!secret) {
		return undefined;
	}

	return new Map(
		Object.entries(secret.data ?? {}).map(([key, value]) => [
			key,
			Buffer.from(value, 'base64').toString('utf8'),
		]),
	);
}

/**
 * The webhook secret: the one given, else the one the platform keeps in the cluster. Without a
 * way to the cluster in this run (`--only github`), only a given one counts.
 */
export async function webhookSecretOf(
	context: StepContext,
): Promise<string | undefined> {
	const given = context.input.platform.webhookSecret;
	if (given !== undefined || (!context.host && !context.kube)) {
		return given;
	}

	const kube = await kubeOf(context);
	const data = await readSecretData(
		kube,
		context.input.platform.namespace,
		platformSecrets.runtime,
		context.signal,
	);
	const kept = data?.get(webhookSecretKey);
	if (kept) {
		context.log.addSecret(kept);
	}

	return kept === '' ? undefined : kept;
}
