/**
 * The install's non-secret answers the platform's objects depend on, kept in a ConfigMap of the
 * platform's namespace: the deploy workflow's `deploy --in-cluster` reads them back, so a deploy
 * from the workflow renders the same objects as the laptop's install (secrets come from the
 * Secrets, by the same precedence).
 */

import type {Input} from '../../source/config/schema.js';
import type {Tree} from '../../source/config/tree.js';
import type {Kube, KubeObject} from '../../source/kube/index.js';
import {labelsOf, names} from './names.js';

export const answersKey = 'answers.json';

/** Only what the platform phase reads, and never a secret. */
export function platformAnswers(input: Input): Tree {
	const {
		webhookSecret: _webhookSecret,
		postgresPassword: _postgresPassword,
		appSecretKey: _appSecretKey,
		tokenEncryptionKey: _tokenEncryptionKey,
		jwtSigningKey: _jwtSigningKey,
		mcpTokenSigningKey: _mcpTokenSigningKey,
		oauthClientSecret: _oauthClientSecret,
		openaiApiKey: _openaiApiKey,
		openaiAuthFile: _openaiAuthFile,
		context7ApiKey: _context7ApiKey,
		gitBotToken: _gitBotToken,
		buildRef: _buildRef,
		...platform
	} = input.platform;
	// Answers not given are left out, as in a config file.
	const given = (tree: Record<string, unknown>) =>
		Object.fromEntries(
			Object.entries(tree).filter(([, value]) => value !== undefined),
		);
	return given({
		mode: input.mode,
		domain: input.domain,
		acmeEmail: input.acmeEmail,
		github: given({repo: input.github.repo, apiUrl: input.github.apiUrl}),
		platform: given(platform),
	});
}

export const answersConfigMap = (input: Input): KubeObject => ({
	apiVersion: 'v1',
	kind: 'ConfigMap',
	metadata: {
		name: names.answers,
		namespace: input.platform.namespace,
		labels: labelsOf('installer'),
	},
	data: {[answersKey]: `${JSON.stringify(platformAnswers(input), null, 2)}\n`},
});

/** The answers an install left in `namespace`, or undefined before the first install. */
export async function readPlatformAnswers(
	kube: Kube,
	namespace: string,
): Promise<Tree | undefined> {
	const map = await kube.read<{data?: Record<string, string>}>(
		`/api/v1/namespaces/${namespace}/configmaps/${names.answers}`,
	);
	const text = map?.data?.[answersKey];
	return text ? (JSON.parse(text) as Tree) : undefined;
}
