// The webhook's secret as the github phase reads it (steps/kit-secrets.ts): a given one wins;
// otherwise the one the platform phase keeps in the cluster; a run that cannot reach the cluster
// (`--only github`) has only the given one.
import {Buffer} from 'node:buffer';
import {createLogger} from '../../source/log.js';
import {apply} from '../../source/kube/index.js';
import {webhookSecretOf} from '../../steps/kit-secrets.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {baseInput, fakeContext} from '../helpers/fake-steps.js';
import {kubeOf} from '../helpers/kube.js';
import {fakeSecret} from '../helpers/secrets.js';

const clusterTest = clusterTests();

clusterTest(
	'the webhook secret: given, else kept in the cluster, else none',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const kept = fakeSecret('kept-');
		await apply(kube, {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name: 'staging'},
		});
		const input = (webhookSecret?: string) =>
			baseInput({platform: {namespace: 'staging', webhookSecret}});
		const log = createLogger();
		const inCluster = (webhookSecret?: string) =>
			fakeContext({input: input(webhookSecret), kube: async () => kube, log});

		t.is(await webhookSecretOf(inCluster()), undefined, 'nothing kept yet');
		await apply(kube, {
			apiVersion: 'v1',
			kind: 'Secret',
			metadata: {name: 'codex-k8s-runtime', namespace: 'staging'},
			data: {
				CODEXK8S_GITHUB_WEBHOOK_SECRET: Buffer.from(kept).toString('base64'),
			},
		});
		t.is(await webhookSecretOf(inCluster()), kept);
		t.is(
			log.redact(`signed with ${kept}`),
			'signed with ***',
			'the log hides it',
		);
		t.is(await webhookSecretOf(inCluster('given-secret')), 'given-secret');
		t.is(
			await webhookSecretOf(fakeContext({input: input()})),
			undefined,
			'no way to the cluster',
		);
	},
);
