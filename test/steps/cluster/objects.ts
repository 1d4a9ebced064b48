/* eslint-disable @typescript-eslint/no-unsafe-member-access -- API bodies are read loosely; assertions check their shape */
// The cluster phase's objects against the test cluster's real API server: what the plan says, what
// a run applies and waits for, a converged re-run, changed inputs, and a matrix of inputs.
// Pods, volumes and charts are the test cluster's simulations; cert-manager's controller does not
// run here, and the test stands in for it where it says so.
import test from 'ava';
import {UserError} from '../../../source/errors.js';
import type {Step} from '../../../source/engine/step.js';
import {
	apply,
	check,
	type KubeObject,
	nameOf,
} from '../../../source/kube/index.js';
import {certManagerStep} from '../../../steps/cluster/cert-manager.js';
import {
	clusterIssuer,
	clusterIssuerStep,
	issuerName,
} from '../../../steps/cluster/cluster-issuer.js';
import {clusterSteps as allClusterSteps} from '../../../steps/cluster/index.js';
import {
	networkPolicies,
	networkPolicyManager,
	networkPolicyStep,
} from '../../../steps/cluster/network-policy.js';
import {registryStep} from '../../../steps/cluster/registry.js';
import {traefikStep} from '../../../steps/cluster/traefik.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {
	clusterContext,
	impatient,
	issuerStatus,
	nodeAddress,
	ownedObjects,
	serverInput,
	versionsOf,
} from '../../helpers/cluster-objects.js';
import {baseInput} from '../../helpers/fake-steps.js';
import {kubeOf} from '../../helpers/kube.js';

// The steps on the cluster's objects; k3s's host steps are proven on a guest (k3s-guest.ts).
const clusterSteps = allClusterSteps.filter(step => step.reach === 'cluster');

const clusterTest = clusterTests();

async function run(step: Step, context: ReturnType<typeof clusterContext>) {
	await step.apply!(context, await step.check(context));
	await step.verify!(context);
}

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

		await run(registryStep, context);
		await run(networkPolicyStep, context);
		const egress = await kube.read<KubeObject>(
			'/apis/networking.k8s.io/v1/namespaces/codex-k8s-ai-staging/networkpolicies/codex-k8s-egress-baseline',
		);
		t.deepEqual(egress?.spec.egress[0], {
			to: [{ipBlock: {cidr: '127.0.0.1/32'}}],
			ports: [{protocol: 'TCP', port: 6443}],
		});

		// Converged: every check is done and writes nothing (a converged run applies nothing).
		const objects = ownedObjects(context.input);
		const before = await versionsOf(kube, objects);
		t.false(Object.values(before).includes(undefined));
		for (const step of clusterSteps) {
			// eslint-disable-next-line no-await-in-loop
			t.deepEqual(await step.check(context), {kind: 'done'}, step.id);
		}

		t.deepEqual(await versionsOf(kube, objects), before);

		// Applying again anyway writes nothing either, except once for a Namespace this API server
		// created by server-side apply: it keeps no managed fields for it, so the first re-apply
		// records them (a "before-first-apply" entry) and bumps its version once.
		// Each as its step applies it: the network policy's under its own field manager.
		const policies = new Set(
			networkPolicies(context.input, [nodeAddress]).map(object =>
				nameOf(object),
			),
		);
		for (const object of objects) {
			const manager = policies.has(nameOf(object))
				? {manager: networkPolicyManager}
				: {};
			// eslint-disable-next-line no-await-in-loop
			await apply(kube, object, {force: true, ...manager});
		}

		const after = await versionsOf(kube, objects);
		for (const object of objects.filter(each => each.kind !== 'Namespace')) {
			const key = `${object.kind} ${object.metadata.name}`;
			t.is(after[key], before[key], key);
		}
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
