/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- API bodies are read loosely; assertions check their shape */
// The deployer's RBAC proven by use: the built CLI's `build`, `deploy` and `status --in-cluster`
// run as the workflow runs them, with the token of the service account the runner phase bound;
// the API server's audit log then says what they called. Nothing may be refused, and every
// permission the Role and ClusterRole grant must have been used (or be on the list below, with why).
import {
	clusterRules,
	namespacedRules,
} from '../../../steps/runner/deploy-access.js';
import {parseCall, refusedApiCalls} from '../../fixtures/deploy-api-calls.js';
import {
	type AuditedCall,
	auditedCalls,
	describeCall,
	describeGrant,
	type Grant,
	grantCovers,
	grantsOf,
} from '../../helpers/audit.js';
import {ensureBuilt, runCliAsync} from '../../helpers/cli.js';
import {clusterTests} from '../../helpers/cluster/ava.js';
import {apiClient} from '../../helpers/cluster/http.js';
import {issuedCertificate} from '../../helpers/cert-manager.js';
import {kubeOf} from '../../helpers/kube.js';
import {
	canaries,
	platformInput,
	recordingContext,
	runPhase,
} from '../../helpers/platform-phase.js';
import {runnerPhase, runnerPod} from '../../helpers/runner-account.js';

const clusterTest = clusterTests();

type Report = {code: number | undefined; output: string};
const runners = 'arc-rbac';

/**
 * Granted though the run here does not use them, each with why the deploy path needs it. Keyed by
 * describeGrant; a key that names no grant fails the test too.
 */
const neededBeyondTheRun: Record<string, string> = {
	'get /pods/log (Role)':
		'a build or migration Job, or a container, that fails: its last log lines go into the error (steps/platform/jobs.ts, source/kube/diagnose.ts)',
	'list apps/replicasets (Role)':
		'a rollout not done at the first look: its wait finds the new revision’s pods through the ReplicaSet (source/kube/waits.ts); here every rollout is done at once, on a guest the deploy job was refused it',
	'get /persistentvolumeclaims (Role)':
		'a pod that is not scheduled: the error names its volume claim that is missing or not bound (source/kube/diagnose.ts)',
};

clusterTest(
	'the deployer’s RBAC: the deploy path’s calls in the audit log are all allowed and use every permission granted',
	async (t, cluster) => {
		t.timeout(10 * 60_000);
		ensureBuilt();
		const kube = await kubeOf(cluster);
		const {input, account} = await runnerPhase(t, kube, runners);
		const staging = input.platform.namespace;
		const pod = await runnerPod(cluster, kube, runners, account);
		const given = canaries();
		/** The laptop's install (admin) in a mode, then the workflow on a new commit. */
		const installThenWorkflow = async (
			commit: string,
			overrides: Parameters<typeof platformInput>[2] = {},
		) => {
			await runPhase(
				recordingContext(kube, platformInput(staging, given, overrides))
					.context,
			);
			const reports: Record<string, Report> = {};
			for (const command of ['build', 'deploy', 'status']) {
				// eslint-disable-next-line no-await-in-loop -- the workflow's jobs, in order
				const result = await runCliAsync([command, '--in-cluster', '--json'], {
					env: {
						...pod.env,
						CODEXK8S_STAGING_NAMESPACE: staging,
						GITHUB_SHA: commit,
					},
				});
				reports[command] = {code: result.code, output: result.stdout};
			}

			return reports;
		};

		const local = await installThenWorkflow(
			'c0ffee0000000000000000000000000000000002',
		);
		await issuedCertificate(kube, staging, 'codex-k8s-staging-tls');
		const server = await installThenWorkflow(
			'c0ffee0000000000000000000000000000000003',
			{
				mode: 'server',
				domain: 'staging.example.com',
				acmeEmail: 'ops@example.com',
			},
		);

		// A last call, made after the workflow's: once it is in the log, theirs are too.
		const mark = await apiClient(cluster.server, {
			ca: cluster.credentials.ca,
			token: pod.token,
		}).request('GET', `/api/v1/namespaces/${staging}/configmaps/audit-mark`);
		t.is(mark.status, 404);
		const user = `system:serviceaccount:${runners}:${account}`;
		const isMark = (call: AuditedCall) =>
			call.resource === 'configmaps' && call.name === 'audit-mark';
		const logged = await auditedCalls(cluster.auditLogPath, user, isMark);
		const calls = logged.filter(call => !isMark(call));

		t.deepEqual(
			calls
				.filter(call => call.decision !== 'allow')
				.map(call => describeCall(call)),
			[],
			'calls the deployer’s RBAC refused',
		);
		for (const [mode, reports] of Object.entries({local, server})) {
			t.is(reports['build']!.code, 0, `${mode}: ${reports['build']!.output}`);
			t.is(reports['deploy']!.code, 0, `${mode}: ${reports['deploy']!.output}`);
			// The test cluster has no pod network: the Service proxy reaches no pod, so the health
			// check fails behind the API server (its calls were allowed, above).
			const status = JSON.parse(reports['status']!.output) as {
				failed: string[];
			};
			t.deepEqual(
				status.failed,
				['platform.health'],
				`${mode}: ${reports['status']!.output}`,
			);
		}

		t.true(
			calls.some(call => call.subresource === 'proxy' && call.code === 403),
			'the health check reached the proxy',
		);

		const used = [...calls, ...impliedCalls(calls)];
		const grants: Grant[] = [
			...grantsOf(namespacedRules(), true),
			...grantsOf(clusterRules(staging), false),
		];
		const unused = grants
			.filter(grant => !used.some(call => grantCovers(grant, call)))
			.map(grant => describeGrant(grant));
		t.deepEqual(
			unused.filter(grant => neededBeyondTheRun[grant] === undefined),
			[],
			'granted but never used: unneeded permissions',
		);
		t.deepEqual(
			Object.keys(neededBeyondTheRun).filter(grant => !unused.includes(grant)),
			[],
			'on the list, but granted and used (or no longer granted)',
		);
	},
);

/**
 * Authorisations the API server makes inside one call, which the audit log does not list as calls
 * of their own: a patch or update that creates (201) is authorised as `create` too.
 */
const impliedCalls = (calls: AuditedCall[]): AuditedCall[] =>
	calls
		.filter(
			call =>
				(call.verb === 'patch' || call.verb === 'update') && call.code === 201,
		)
		.map(call => ({...call, verb: 'create'}));

clusterTest(
	'the deployer may not make the calls the deploy path never makes',
	async (t, cluster) => {
		const kube = await kubeOf(cluster);
		const {input, account} = await runnerPhase(t, kube, runners);
		const staging = input.platform.namespace;
		const names = {
			staging,
			worker: `codex-k8s-worker-runtime-${staging}`,
			runners,
		};
		for (const line of refusedApiCalls) {
			const call = parseCall(line, names);
			// eslint-disable-next-line no-await-in-loop
			const review = await kube.request<any>(
				'POST',
				'/apis/authorization.k8s.io/v1/subjectaccessreviews',
				{
					body: {
						apiVersion: 'authorization.k8s.io/v1',
						kind: 'SubjectAccessReview',
						spec: {
							user: `system:serviceaccount:${runners}:${account}`,
							groups: [
								'system:serviceaccounts',
								`system:serviceaccounts:${runners}`,
								'system:authenticated',
							],
							resourceAttributes: {
								verb: call.verb,
								group: call.group,
								resource: call.resource,
								subresource: call.subresource,
								namespace: call.namespace,
								name: call.name,
							},
						},
					},
				},
			);
			t.false(review.status.allowed === true, `refused: ${line}`);
		}
	},
);
