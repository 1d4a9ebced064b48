import type {Check} from '../../source/engine/check.js';
import {conditionOf} from '../../source/kube/index.js';
import {kubeOf} from '../kit.js';

type NodeList = {
	items: Array<{
		metadata: {name: string};
		status?: {
			nodeInfo?: {kubeletVersion?: string};
			conditions?: Array<{type: string; status: string; reason?: string}>;
		};
	}>;
};

/** The k3s node is registered and Ready; its version is k3s's. */
export const nodeReadyCheck: Check = {
	id: 'cluster.node-ready',
	phase: 'cluster',
	title: 'Node Ready',
	proves: 'k3s runs and its node takes pods',
	runbookSection: 'The cluster and the platform',
	reach: 'cluster',
	async run(context) {
		const kube = await kubeOf(context);
		const {items} = await kube.request<NodeList>('GET', '/api/v1/nodes', {
			signal: context.signal,
		});
		if (items.length === 0) {
			return {status: 'failed', detail: 'no node is registered'};
		}

		const version = items[0]?.status?.nodeInfo?.kubeletVersion;
		const versions = version ? {k3s: version} : undefined;
		const unready = items.filter(
			node => conditionOf(node, 'Ready')?.status !== 'True',
		);
		return unready.length === 0
			? {
					status: 'ok',
					detail: items.map(node => node.metadata.name).join(', '),
					versions,
				}
			: {
					status: 'failed',
					detail: `not Ready: ${unready
						.map(node => {
							const ready = conditionOf(node, 'Ready');
							return `${node.metadata.name} (${ready?.reason ?? 'no Ready condition'})`;
						})
						.join(', ')}`,
					versions,
				};
	},
};

/** The cluster phase's smoke checks. */
export const clusterChecks: readonly Check[] = [nodeReadyCheck];
