/* eslint-disable @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-member-access -- API bodies are read loosely; assertions check their shape */
// The cluster phase's objects against the test cluster's real API server: what the plan says, what
// a run applies and waits for, faults in plain words, a converged re-run, and changed inputs.
// Pods, volumes and charts are the test cluster's simulations; cert-manager's controller and k3s's
// own Traefik install do not run here, and the tests stand in for them where they say so.
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import type {Step} from '../../../source/engine/step.js';
import {apply, check, type KubeObject} from '../../../source/kube/index.js';
import {certManagerStep} from '../../../steps/cluster/cert-manager.js';
import {
	clusterIssuer,
	clusterIssuerStep,
	issuerName,
} from '../../../steps/cluster/cluster-issuer.js';
import {networkPolicyStep} from '../../../steps/cluster/network-policy.js';
import {registry, registryStep} from '../../../steps/cluster/registry.js';
import {traefikStep} from '../../../steps/cluster/traefik.js';
import {clusterSteps} from '../../../steps/cluster/index.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {
	clusterContext,
	issuerStatus,
	mergePatch,
	ownedObjects,
	serverInput,
	versionsOf,
} from '../../helpers/cluster-objects.js';
import {baseInput} from '../../helpers/fake-steps.js';
import {kubeOf} from '../../helpers/kube.js';
import {waitFor} from '../../helpers/cluster.js';

const clusterTest = clusterTests();

const fault = 'kcluster.test/fault';
const claimPath = `/api/v1/namespaces/${registry.namespace}/persistentvolumeclaims/${registry.claim}`;
const registryPath = `/apis/apps/v1/namespaces/${registry.namespace}/deployments/${registry.name}`;
/** Waits that must give up quickly: the rollout limit is 3 s. */
const impatient = (input = serverInput()) => ({
	...input,
	timeouts: {...input.timeouts, rollout: 3},
});

async function run(step: Step, context: ReturnType<typeof clusterContext>) {
	await step.apply!(context, await step.check(context));
	await step.verify!(context);
}

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
			/^Deployment codex-k8s-registry\/codex-k8s-registry failed: the image docker\.io\/library\/registry:3\.0\.0 cannot be pulled \(ImagePullBackOff: /v,
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
	'server mode: the plan creates each object, the run applies and waits for them, a re-run changes nothing',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const context = clusterContext(kube, serverInput());
		t.deepEqual(await traefikStep.check(context), {
			kind: 'new',
			changes: ['create HelmChartConfig kube-system/traefik'],
		});
		t.deepEqual(await certManagerStep.check(context), {
			kind: 'new',
			changes: ['create HelmChart kube-system/cert-manager'],
		});
		// Its kind arrives with cert-manager's CRDs: planned as a creation before they exist.
		t.deepEqual(await clusterIssuerStep.check(context), {
			kind: 'new',
			changes: [`create ClusterIssuer ${issuerName}`],
		});

		await traefikStep.apply!(context, await traefikStep.check(context));
		t.deepEqual(await traefikStep.check(context), {kind: 'done'});
		await run(certManagerStep, context);
		for (const name of [
			'cert-manager',
			'cert-manager-cainjector',
			'cert-manager-webhook',
		]) {
			t.true(
				context.lines.some(line =>
					line.startsWith(`Deployment cert-manager/${name}: 1 of 1 ready`),
				),
				name,
			);
		}

		const hurried = clusterContext(kube, impatient());
		await clusterIssuerStep.apply!(
			hurried,
			await clusterIssuerStep.check(hurried),
		);
		const waiting = await t.throwsAsync(clusterIssuerStep.verify!(hurried), {
			instanceOf: UserError,
		});
		t.is(
			waiting.message,
			`ClusterIssuer ${issuerName}: 0 of 1 ready after 3 s: not Ready yet`,
		);
		await issuerStatus(kube, issuerName, {
			status: 'False',
			reason: 'ErrRegisterACMEAccount',
			message:
				'Failed to register ACME account: 400 urn:ietf:params:acme:error:invalidContact',
		});
		const refused = await t.throwsAsync(clusterIssuerStep.verify!(hurried), {
			instanceOf: UserError,
		});
		t.regex(
			refused.message,
			/not Ready yet \(ErrRegisterACMEAccount: Failed to register ACME account: 400 .*invalidContact\)$/v,
		);
		await issuerStatus(kube, issuerName, {
			status: 'True',
			reason: 'ACMEAccountRegistered',
			message: 'The ACME account was registered with the ACME server',
		});
		await clusterIssuerStep.verify!(context);

		await run(networkPolicyStep, context);
		const egress = await kube.read<KubeObject>(
			'/apis/networking.k8s.io/v1/namespaces/codex-k8s-ai-staging/networkpolicies/codex-k8s-egress-baseline',
		);
		t.deepEqual(egress?.spec.egress[0], {
			to: [{ipBlock: {cidr: '127.0.0.1/32'}}],
			ports: [{protocol: 'TCP', port: 6443}],
		});

		// Converged: every check is done, and neither checking nor applying again writes anything.
		const objects = ownedObjects(context.input);
		const before = await versionsOf(kube, objects);
		t.false(Object.values(before).includes(undefined));
		for (const step of clusterSteps) {
			// eslint-disable-next-line no-await-in-loop
			t.deepEqual(await step.check(context), {kind: 'done'}, step.id);
		}

		for (const object of objects) {
			// eslint-disable-next-line no-await-in-loop
			await apply(kube, object, {force: true});
		}

		t.deepEqual(await versionsOf(kube, objects), before);
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

clusterTest(
	'a changed input changes exactly its objects; the domain none of them',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const context = clusterContext(kube, serverInput());
		for (const step of clusterSteps) {
			// eslint-disable-next-line no-await-in-loop
			await step.apply!(context, await step.check(context));
		}

		const findings = async (input = serverInput()) => {
			const changed = clusterContext(kube, input);
			const found: Record<string, unknown> = {};
			for (const step of clusterSteps.filter(
				step => step.when?.(input) ?? true,
			)) {
				// eslint-disable-next-line no-await-in-loop
				const finding = await step.check(changed);
				if (finding.kind !== 'done') {
					found[step.id] = finding;
				}
			}

			return found;
		};

		t.deepEqual(await findings(), {});
		t.deepEqual(await findings(serverInput({domain: 'other.example.org'})), {});
		t.deepEqual(await findings(serverInput({acmeServer: 'staging'})), {
			'cluster.cluster-issuer': {
				kind: 'change',
				changes: [
					`update ClusterIssuer ${issuerName}: spec.acme.server: "https://acme-v02.api.letsencrypt.org/directory" → "https://acme-staging-v02.api.letsencrypt.org/directory"`,
				],
			},
		});
		t.deepEqual(await findings(serverInput({acmeEmail: 'certs@example.org'})), {
			'cluster.cluster-issuer': {
				kind: 'change',
				changes: [
					`update ClusterIssuer ${issuerName}: spec.acme.email: "ops@example.com" → "certs@example.org"`,
				],
			},
		});
		t.deepEqual(
			await findings(serverInput({platform: {namespace: 'staging-two'}})),
			{
				// Change: the system namespaces it labels are there already.
				'cluster.network-policy': {
					kind: 'change',
					changes: [
						'create Namespace staging-two',
						'create NetworkPolicy staging-two/codex-k8s-postgres-ingress-from-platform',
						'create NetworkPolicy staging-two/codex-k8s-egress-baseline',
					],
				},
			},
		);
		const local = await findings(baseInput());
		t.deepEqual(Object.keys(local), ['cluster.traefik']);
		t.regex(
			JSON.stringify(local),
			/update HelmChartConfig kube-system\/traefik: spec\.valuesContent: /v,
		);
	},
);

clusterTest(
	'both modes and a matrix of inputs: every object is accepted by the real API',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const rows = [
			baseInput(),
			baseInput({platform: {namespace: 'x'}}),
			serverInput({
				acmeServer: 'staging',
				acmeEmail: 'o+certs@sub.example.co.uk',
			}),
			serverInput({
				domain: 'a.b.example.org',
				platform: {namespace: `s-${'9'.repeat(61)}`},
			}),
		];
		for (const input of rows) {
			for (const object of ownedObjects(input)) {
				// A real apply: a dry-run cannot place an object in a namespace that is not there yet.
				// eslint-disable-next-line no-await-in-loop
				await apply(kube, object, {force: true});
				// eslint-disable-next-line no-await-in-loop
				const again = await check(kube, object, {force: true});
				t.is(again.state, 'done', `${object.kind} ${object.metadata.name}`);
			}
		}
	},
);

test('an issuer without an e-mail is refused before anything is sent', async t => {
	const input = {...serverInput(), acmeEmail: undefined};
	t.throws(() => clusterIssuer(input), {
		instanceOf: UserError,
		message: `ClusterIssuer ${issuerName} needs the Let's Encrypt account e-mail`,
	});
	let asked = 0;
	const context = clusterContext(
		{
			where: 'nowhere',
			async request() {
				asked++;
				throw new Error('not sent');
			},
			async read() {
				asked++;
				throw new Error('not read');
			},
		},
		input,
	);
	await t.throwsAsync(clusterIssuerStep.check(context), {
		instanceOf: UserError,
	});
	t.is(asked, 0);
});
