// The objects kit (steps/kit-objects.ts) against the test cluster's real API server: the plan's
// lines come from the API's dry-run, a converged step applies nothing, and before k3s runs the
// plan says the step is checked later while a run fails with the reason.
import test from 'ava';
import {makePlan} from '../../source/engine/plan.js';
import type {StepContext} from '../../source/engine/step.js';
import {ClusterNotRunningError} from '../../source/kube/errors.js';
import type {Kube, KubeObject} from '../../source/kube/index.js';
import {objectsStep} from '../../steps/kit-objects.js';
import {clusterTests} from '../helpers/cluster/ava.js';
import {fakeContext} from '../helpers/fake-steps.js';
import {kubeOf} from '../helpers/kube.js';

const clusterTest = clusterTests();

const settingsStep = (mode: string) =>
	objectsStep({
		id: 'cluster.example',
		phase: 'cluster',
		title: 'Example objects',
		describe: () => ['a namespace and its settings'],
		removeObjects: true,
		objects: () => [
			{apiVersion: 'v1', kind: 'Namespace', metadata: {name: 'kit'}},
			{
				apiVersion: 'v1',
				kind: 'ConfigMap',
				metadata: {name: 'settings', namespace: 'kit'},
				data: {mode},
			},
		],
	});

const contextWith = (kube: Kube): StepContext =>
	fakeContext({kube: async () => kube, phases: ['cluster']});

clusterTest(
	'new objects (their namespace too) are planned as creations, applied once, then found done',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const context = contextWith(kube);
		const step = settingsStep('local');
		t.deepEqual(await step.check(context), {
			kind: 'new',
			changes: ['create Namespace kit', 'create ConfigMap kit/settings'],
		});
		await step.apply!(context, await step.check(context));
		await step.verify!(context);
		const applied = await kube.read<
			KubeObject & {data: Record<string, string>}
		>('/api/v1/namespaces/kit/configmaps/settings');
		t.is(applied?.data['mode'], 'local');
		t.deepEqual(await step.check(context), {kind: 'done'});
		await step.apply!(context, {kind: 'change', changes: []});
		const again = await kube.read<KubeObject>(
			'/api/v1/namespaces/kit/configmaps/settings',
		);
		t.is(again?.metadata.resourceVersion, applied?.metadata.resourceVersion);
	},
);

clusterTest(
	'a changed input is one field-level line for exactly its object',
	async (t, cluster) => {
		const context = contextWith(await kubeOf(cluster));
		const step = settingsStep('local');
		await step.apply!(context, await step.check(context));
		t.deepEqual(await settingsStep('server').check(context), {
			kind: 'change',
			changes: ['update ConfigMap kit/settings: data.mode: "local" → "server"'],
		});
	},
);

clusterTest(
	'uninstall deletes the objects but not their namespace, and then finds nothing left',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const context = contextWith(kube);
		const step = settingsStep('local');
		await step.apply!(context, await step.check(context));
		t.deepEqual(await step.remove!.check(context), [
			'delete ConfigMap kit/settings',
		]);
		await step.remove!.apply(context);
		t.is(
			await kube.read('/api/v1/namespaces/kit/configmaps/settings'),
			undefined,
		);
		t.truthy(await kube.read('/api/v1/namespaces/kit'));
		t.deepEqual(await step.remove!.check(context), []);
	},
);

test('before k3s runs, the plan checks the step later; a run fails saying why', async t => {
	const context = fakeContext({
		phases: ['cluster'],
		async kube() {
			throw new ClusterNotRunningError('staging.example');
		},
	});
	const step = settingsStep('local');
	const plan = await makePlan([step], context, {probe: true});
	t.deepEqual(plan.steps[0]?.finding, {
		kind: 'unknown',
		reason:
			'k3s is not running on staging.example yet: checked when the run gets here',
	});
	await t.throwsAsync(step.check(context), {
		instanceOf: ClusterNotRunningError,
	});
	t.deepEqual(await step.remove!.check(context), [], 'nothing to remove');
});
