// The platform's Namespace is applied by two steps: the cluster phase's network policy gives it
// its zone label, the platform phase its own labels. Found by the whole install on a guest: with
// one field manager each apply removed the other's labels, so every install changed one of them.
import type {Step, StepContext} from '../../../source/engine/step.js';
import type {KubeObject} from '../../../source/kube/index.js';
import {networkPolicyStep} from '../../../steps/cluster/network-policy.js';
import {platformNamespace} from '../../../steps/platform/namespace.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {clusterContext} from '../../helpers/cluster-objects.js';
import {kubeOf} from '../../helpers/kube.js';
import {platformInput, recordingContext} from '../../helpers/platform-phase.js';

const clusterTest = clusterTests();

async function run(step: Step, context: StepContext) {
	const finding = await step.check(context);
	if (finding.kind !== 'done') {
		await step.apply!(context, finding);
	}
}

clusterTest(
	'the network policy and the platform phase keep each other’s Namespace labels: a second run changes nothing',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const input = platformInput('shared', {});
		const cluster1 = clusterContext(kube, input);
		const platform = recordingContext(kube, input).context;
		await run(networkPolicyStep, cluster1);
		await run(platformNamespace, platform);
		for (const [step, context] of [
			[networkPolicyStep, cluster1],
			[platformNamespace, platform],
			[networkPolicyStep, cluster1],
		] as const) {
			// eslint-disable-next-line no-await-in-loop -- a re-run, in phase order
			t.deepEqual(await step.check(context), {kind: 'done'}, step.id);
		}

		const namespace = await kube.read<KubeObject>('/api/v1/namespaces/shared');
		t.like(namespace?.metadata.labels, {
			'codexk8s.io/network-zone': 'platform',
			'app.kubernetes.io/part-of': 'codex-k8s',
			'app.kubernetes.io/managed-by': 'codex-k8s-install',
		});
	},
);
