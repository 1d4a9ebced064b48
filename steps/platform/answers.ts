/**
 * The install's non-secret answers the platform's objects depend on, kept in a ConfigMap of the
 * platform's namespace, one key per answer (`platform.replicas`): the deploy workflow's
 * `deploy --in-cluster` reads them back, so a deploy from the workflow renders the same objects
 * as the laptop's install; secrets come from the Secrets, by the same precedence.
 */

import {fieldByPath} from '../../source/config/fields.js';
import type {Input} from '../../source/config/schema.js';
import {getPath, setPath, type Tree} from '../../source/config/tree.js';
import type {Kube, KubeObject} from '../../source/kube/index.js';
import {labelsOf, names} from './names.js';

/** The answers kept: what the platform phase reads, never a secret. */
const kept = [
	'mode',
	'domain',
	'acmeEmail',
	'github.repo',
	'github.apiUrl',
	'github.firstProjectRepo',
	'platform.namespace',
	'platform.ownerEmail',
	'platform.allowedEmails',
	'platform.oauthClientId',
	'platform.gitBotUsername',
	'platform.gitBotEmail',
	'platform.agentModel',
	'platform.agentLocale',
	'platform.baseBranch',
	'platform.replicas',
	'platform.buildComponents',
	'operator.user',
] as const;

/** Lists as the environment gives them (comma-separated), everything else as text. */
export function platformAnswers(input: Input): Record<string, string> {
	const data: Record<string, string> = {};
	for (const path of kept) {
		const value = getPath(input, path);
		if (Array.isArray(value)) {
			data[path] = value.join(',');
		} else if (
			typeof value === 'string' ||
			typeof value === 'number' ||
			typeof value === 'boolean'
		) {
			data[path] = String(value);
		}
	}

	return data;
}

export const answersConfigMap = (input: Input): KubeObject => ({
	apiVersion: 'v1',
	kind: 'ConfigMap',
	metadata: {
		name: names.answers,
		namespace: input.platform.namespace,
		labels: labelsOf('installer'),
	},
	data: platformAnswers(input),
});

/** The answers an install left in `namespace` as a layer's tree, or undefined before one. */
export async function readPlatformAnswers(
	kube: Kube,
	namespace: string,
): Promise<Tree | undefined> {
	const map = await kube.read<{data?: Record<string, string>}>(
		`/api/v1/namespaces/${namespace}/configmaps/${names.answers}`,
	);
	if (!map?.data) {
		return undefined;
	}

	const tree: Tree = {};
	for (const [path, text] of Object.entries(map.data)) {
		const field = fieldByPath.get(path);
		if (field && !field.secret) {
			setPath(
				tree,
				path,
				field.kind === 'list'
					? text.split(',').filter(Boolean)
					: field.kind === 'number'
						? Number(text)
						: field.kind === 'boolean'
							? text === 'true'
							: text,
			);
		}
	}

	return tree;
}
