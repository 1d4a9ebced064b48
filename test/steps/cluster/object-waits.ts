/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- API bodies are read loosely; assertions check their shape */
// The cluster objects' waits against the test cluster: faults in plain words (a volume never
// provisioned, an image that cannot be pulled) and k3s's own Traefik install, for which the test
// stands in (the test cluster has no Traefik chart).
import {UserError} from '../../../source/errors.js';
import {apply, type KubeObject} from '../../../source/kube/index.js';
import {registry, registryStep} from '../../../steps/cluster/registry.js';
import {traefikStep} from '../../../steps/cluster/traefik.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {
	clusterContext,
	impatient,
	mergePatch,
	serverInput,
} from '../../helpers/cluster-objects.js';
import {kubeOf} from '../../helpers/kube.js';
import {waitFor} from '../../helpers/cluster.js';

const clusterTest = clusterTests();

const fault = 'kcluster.test/fault';
const claimPath = `/api/v1/namespaces/${registry.namespace}/persistentvolumeclaims/${registry.claim}`;
const registryPath = `/apis/apps/v1/namespaces/${registry.namespace}/deployments/${registry.name}`;

clusterTest(
	'registry: a volume never provisioned, then an image that cannot be pulled, are said in plain words',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		// The claim exists before the step runs, asking the simulated provisioner to leave it pending.
		await apply(kube, {
			apiVersion: 'v1',
			kind: 'Namespace',
			metadata: {name: registry.namespace},
		});
		await kube.request(
			'POST',
			`/api/v1/namespaces/${registry.namespace}/persistentvolumeclaims`,
			{
				body: {
					apiVersion: 'v1',
					kind: 'PersistentVolumeClaim',
					metadata: {
						name: registry.claim,
						annotations: {[fault]: 'VolumePending'},
					},
					spec: {
						accessModes: ['ReadWriteOnce'],
						storageClassName: 'local-path',
						resources: {requests: {storage: registry.size}},
					},
				},
				query: {fieldManager: 'fault-injector'},
			},
		);
		const hurried = clusterContext(kube, impatient());
		await registryStep.apply!(hurried, await registryStep.check(hurried));
		// Once its pod exists, the wait has a reason to give (Deployment, ReplicaSet, pod take a moment).
		await waitFor('the registry pod', async () => {
			const pods = await kube.read<{items: KubeObject[]}>(
				`/api/v1/namespaces/${registry.namespace}/pods`,
			);
			return pods?.items.length ? true : undefined;
		});
		const pending = await t.throwsAsync(registryStep.verify!(hurried), {
			instanceOf: UserError,
		});
		t.regex(
			pending.message,
			/^Deployment codex-k8s-registry\/codex-k8s-registry: 0 of 1 ready after 3 s: the volume claim codex-k8s-registry-data is Pending: no volume was provisioned for it \(storage class local-path\)/v,
		);
		t.true(
			hurried.lines.some(line =>
				line.startsWith(
					'Deployment codex-k8s-registry/codex-k8s-registry: 0 of 1 ready (',
				),
			),
		);

		await mergePatch(
			kube,
			claimPath,
			{metadata: {annotations: {[fault]: null}}},
			'fault-injector',
		);
		const context = clusterContext(kube, serverInput());
		await registryStep.verify!(context);
		t.regex(
			context.lines.at(-1) ?? '',
			/^Deployment codex-k8s-registry\/codex-k8s-registry: 1 of 1 ready/v,
		);

		await mergePatch(
			kube,
			registryPath,
			{
				spec: {
					template: {metadata: {annotations: {[fault]: 'ImagePullBackOff'}}},
				},
			},
			'fault-injector',
		);
		// Another manager's annotation is not the step's business: nothing to change.
		t.deepEqual(await registryStep.check(context), {kind: 'done'});
		const pull = await t.throwsAsync(registryStep.verify!(context), {
			instanceOf: UserError,
		});
		t.regex(
			pull.message,
			/^Deployment codex-k8s-registry\/codex-k8s-registry failed: the image docker\.io\/library\/registry:3\.1\.1 cannot be pulled \(ImagePullBackOff: /v,
		);
		await mergePatch(
			kube,
			registryPath,
			{spec: {template: {metadata: {annotations: {[fault]: null}}}}},
			'fault-injector',
		);
		await registryStep.verify!(context);

		const deployment = await kube.read<KubeObject>(registryPath);
		const pod = deployment?.spec.template.spec;
		t.true(pod.hostNetwork);
		t.deepEqual(pod.containers[0].env[0], {
			name: 'REGISTRY_HTTP_ADDR',
			value: '127.0.0.1:5000',
		});
		const services = await kube.read<{items: unknown[]}>(
			`/api/v1/namespaces/${registry.namespace}/services`,
		);
		t.deepEqual(services?.items, []);
	},
);

clusterTest(
	'Traefik: the wait follows k3s’s install Job, then its Deployment, and says what it waits for',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const hurried = clusterContext(kube, impatient());
		await traefikStep.apply!(hurried, await traefikStep.check(hurried));
		const absent = await t.throwsAsync(traefikStep.verify!(hurried), {
			instanceOf: UserError,
		});
		t.is(
			absent.message,
			'Helm chart kube-system/traefik: 0 of 1 ready after 3 s: the HelmChart is not created yet',
		);

		// Stands in for k3s, which writes its bundled Traefik's HelmChart from its own manifests; the
		// simulated helm-controller has no Traefik chart, so nothing installs it.
		await apply(
			kube,
			{
				apiVersion: 'helm.cattle.io/v1',
				kind: 'HelmChart',
				metadata: {name: 'traefik', namespace: 'kube-system'},
				spec: {chart: 'https://%{KUBERNETES_API}%/static/charts/traefik.tgz'},
			},
			{force: true},
		);
		const unstarted = await t.throwsAsync(traefikStep.verify!(hurried), {
			instanceOf: UserError,
		});
		t.is(
			unstarted.message,
			'Helm chart kube-system/traefik: 0 of 1 ready after 3 s: helm-controller has not started its install Job yet',
		);

		// Stands in for helm-controller: its install Job (run to completion by the simulated node),
		// named in the chart's status, and the Deployment the chart makes.
		await apply(kube, {
			apiVersion: 'batch/v1',
			kind: 'Job',
			metadata: {name: 'helm-install-traefik', namespace: 'kube-system'},
			spec: {
				backoffLimit: 1,
				template: {
					spec: {
						restartPolicy: 'OnFailure',
						containers: [
							{name: 'helm', image: 'rancher/klipper-helm:stand-in'},
						],
					},
				},
			},
		});
		await mergePatch(
			kube,
			'/apis/helm.cattle.io/v1/namespaces/kube-system/helmcharts/traefik/status',
			{status: {jobName: 'helm-install-traefik'}},
		);
		await waitFor('the stand-in install Job to complete', async () => {
			const job = await kube.read<KubeObject>(
				'/apis/batch/v1/namespaces/kube-system/jobs/helm-install-traefik',
			);
			return job?.status?.succeeded === 1 ? true : undefined;
		});
		const chartOnly = await t.throwsAsync(traefikStep.verify!(hurried), {
			instanceOf: UserError,
		});
		t.regex(
			chartOnly.message,
			/^Deployment kube-system\/traefik: 0 of 1 ready after 3 s/v,
		);
		await apply(kube, {
			apiVersion: 'apps/v1',
			kind: 'Deployment',
			metadata: {name: 'traefik', namespace: 'kube-system'},
			spec: {
				selector: {matchLabels: {app: 'traefik'}},
				template: {
					metadata: {labels: {app: 'traefik'}},
					spec: {
						containers: [
							{
								name: 'traefik',
								image: 'rancher/mirrored-library-traefik:stand-in',
							},
						],
					},
				},
			},
		});
		const context = clusterContext(kube, serverInput());
		await traefikStep.verify!(context);
		t.true(
			context.lines.includes(
				'Helm chart kube-system/traefik: 1 of 1 ready (0 s of 30 min)',
			),
		);
	},
);
