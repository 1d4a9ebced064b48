/**
 * The runner phase against the test cluster up to the deployer's Role and ClusterRole, and the
 * view of a runner pod running as the account they are bound to: as the deploy workflow runs.
 */
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {apply, type Kube} from '../../source/kube/index.js';
import {runnerController} from '../../steps/runner/controller.js';
import {
	deployerRbac,
	runnerServiceAccount,
} from '../../steps/runner/deployer-rbac.js';
import {runnerScaleSet} from '../../steps/runner/scale-set.js';
import {runnerTokenSecret} from '../../steps/runner/token-secret.js';
import type {Cluster} from './cluster.js';
import {standInClient, standInContext} from './github/client.js';
import {startGitHubStandIn} from './github/server.js';

/** The runner phase as the install runs it, up to the deployer's Role and ClusterRole. */
export async function runnerPhase(
	t: ExecutionContext,
	kube: Kube,
	runners: string,
) {
	const standIn = await startGitHubStandIn();
	t.teardown(async () => standIn.close());
	const client = standInClient(standIn, undefined, {
		timeouts: {rollout: 180},
		mode: 'local',
		runner: {namespace: runners, scaleSetName: `acme-${runners}`},
	});
	const context = {
		...standInContext(client, ['cluster', 'platform', 'runner']),
		kube: async () => kube,
	};
	// The platform phase makes the staging namespace; the deployer's Role lives in it.
	await apply(kube, {
		apiVersion: 'v1',
		kind: 'Namespace',
		metadata: {name: context.input.platform.namespace},
	});
	for (const step of [
		runnerController,
		runnerTokenSecret,
		runnerScaleSet,
		deployerRbac,
	]) {
		// eslint-disable-next-line no-await-in-loop -- in order, as the phase runs
		const finding = await step.check(context);
		if (finding.kind !== 'done') {
			// eslint-disable-next-line no-await-in-loop
			await step.apply!(context, finding);
			// eslint-disable-next-line no-await-in-loop
			await step.verify!(context);
		}
	}

	return {
		input: context.input,
		account: await runnerServiceAccount(kube, context.input),
	};
}

/** The runner pod's view: the API's address, the runner account's token and the CA. */
export async function runnerPod(
	cluster: Cluster,
	kube: Kube,
	runners: string,
	account: string,
) {
	const minted = await kube.request<{status: {token: string}}>(
		'POST',
		`/api/v1/namespaces/${runners}/serviceaccounts/${account}/token`,
		{
			body: {
				apiVersion: 'authentication.k8s.io/v1',
				kind: 'TokenRequest',
				spec: {},
			},
		},
	);
	const directory = mkdtempSync(join(tmpdir(), 'runner-account-'));
	writeFileSync(join(directory, 'token'), minted.status.token, {mode: 0o600});
	writeFileSync(join(directory, 'ca.crt'), cluster.credentials.ca);
	const server = new URL(cluster.server);
	return {
		token: minted.status.token,
		env: {
			KUBERNETES_SERVICE_HOST: server.hostname,
			KUBERNETES_SERVICE_PORT: server.port,
			CODEXK8S_SERVICE_ACCOUNT_DIR: directory,
		},
	};
}
