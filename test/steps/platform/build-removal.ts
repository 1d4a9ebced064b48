// `uninstall` takes back platform.build's work on the test cluster's real API server: every build
// Job the installer made (this commit's and an older one's) and the Secret they clone with go;
// other Jobs of the namespace stay; a second pass finds nothing; before k3s, nothing to remove.
import test from 'ava';
import {apply, ClusterNotRunningError} from '../../../source/kube/index.js';
import {platformBuild} from '../../../steps/platform/build.js';
import {buildJob} from '../../../steps/platform/build-job.js';
import {migrationsJob} from '../../../steps/platform/migrations.js';
import {namespaceObjects} from '../../../steps/platform/namespace.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {fakeContext} from '../../helpers/fake-steps.js';
import {kubeOf} from '../../helpers/kube.js';
import {
	platformInput,
	recordingContext,
	revision,
	runPhase,
} from '../../helpers/platform-phase.js';

const clusterTest = clusterTests();
const older = 'f0e1d2c3b4a5f0e1d2c3b4a5f0e1d2c3b4a5f0e1';

clusterTest(
	'uninstall deletes the build Jobs and the Secret they clone with, nothing else; a second pass finds nothing',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const input = platformInput(
			'build-removal',
			{},
			{platform: {buildComponents: ['api-gateway']}},
		);
		const {context} = recordingContext(kube, input);
		await apply(kube, namespaceObjects(input)[0]!, {force: true});
		await apply(
			kube,
			{
				apiVersion: 'v1',
				kind: 'Secret',
				metadata: {name: 'codex-k8s-git-token', namespace: 'build-removal'},
				type: 'Opaque',
				stringData: {token: 'not-a-real-token'},
			},
			{force: true},
		);
		await runPhase(context, [platformBuild]);
		// An older commit's build still there, and a Job that is not a build.
		await apply(kube, buildJob(input, 'control-plane', older), {force: true});
		await apply(kube, migrationsJob(input, revision), {force: true});

		const removal = platformBuild.remove!;
		t.is(removal.keptUnless, undefined, 'every uninstall removes them');
		const planned = await removal.check(context);
		t.deepEqual(planned.toSorted(), [
			'delete Job build-removal/codex-k8s-build-api-gateway-a1b2c3d4e5f6',
			'delete Job build-removal/codex-k8s-build-control-plane-f0e1d2c3b4a5',
			'delete Secret build-removal/codex-k8s-git-token (the token the builds clone with)',
		]);
		await removal.apply(context);
		t.deepEqual(await removal.check(context), []);
		const jobs = await kube.read<{items: Array<{metadata: {name: string}}>}>(
			'/apis/batch/v1/namespaces/build-removal/jobs',
		);
		t.deepEqual(
			jobs?.items.map(job => job.metadata.name),
			[migrationsJob(input, revision).metadata.name],
		);
		const pods = await kube.read<{items: unknown[]}>(
			`/api/v1/namespaces/build-removal/pods?labelSelector=${encodeURIComponent('codex-k8s.dev/build-component')}`,
		);
		t.deepEqual(pods?.items, [], 'the build pods went with their Jobs');
		await removal.apply(context);
	},
);

test('before k3s runs there is nothing of the builds to remove', async t => {
	const context = fakeContext({
		phases: ['platform'],
		async kube() {
			throw new ClusterNotRunningError('203.0.113.10');
		},
	});
	t.deepEqual(await platformBuild.remove!.check(context), []);
});
