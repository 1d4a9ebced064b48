import type {ExecutionContext} from 'ava';
import type {Kube} from '../../source/kube/index.js';
import {ensureBuilt} from '../helpers/cli.js';
import {reportOf, runToEnd} from '../helpers/drill.js';
import {playJobsWithBuiltCli} from '../helpers/github/cli-jobs.js';
import {linkRunners} from '../helpers/github/runner-link.js';
import {startGitHubStandIn} from '../helpers/github/server.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {type GuestInstall, guestInstall} from '../helpers/guest-install.js';
import {forwardGuestApi} from '../helpers/k3s-standin/api-tunnel.js';
import {answerPlatformHealth} from '../helpers/k3s-standin/platform-health.js';
import {crashLoop, heal} from '../helpers/pod-fault.js';

const namespace = 'codex-k8s-ai-staging';

type StatusJson = {
	ok: boolean;
	failed: string[];
	checks: Array<{id: string; status: string; detail: string}>;
};

/**
 * `status` from the laptop after the install: all well; a platform pod that crash-loops (the
 * simulated kubelet's fault) makes it exit 1 naming the pods check; healed, all well again.
 */
async function statusDrill(
	t: ExecutionContext,
	install: GuestInstall,
	admin: Kube,
) {
	const status = async () => {
		const result = await runToEnd(
			['status', '--json', '--config', install.config],
			install.laptop,
		);
		const document = JSON.parse(result.stdout) as StatusJson;
		const failing = document.checks
			.filter(check => check.status !== 'ok')
			.map(check => `${check.id}: ${check.status} ${check.detail}`)
			.join('\n');
		return {code: result.code, document, failing, result};
	};

	const well = await status();
	t.is(well.code, 0, well.failing);
	t.deepEqual(well.document.failed, []);
	await crashLoop(admin, namespace, 'codex-k8s-worker');
	const broken = await status();
	t.is(broken.code, 1, broken.failing);
	t.deepEqual(broken.document.failed, ['platform.pods']);
	t.regex(
		broken.document.checks.find(check => check.id === 'platform.pods')
			?.detail ?? '',
		/^codex-k8s-worker-[\w\-]+ not Ready \(Running\)/v,
	);
	await heal(admin, namespace, 'codex-k8s-worker');
	const healed = await status();
	t.is(healed.code, 0, healed.failing);
	for (const secret of install.secrets) {
		t.false(
			`${broken.result.stdout}${healed.result.stdout}`.includes(secret),
			'no secret in status',
		);
	}
}

/*
The mission's acceptance end to end, local mode: the whole `install` from the built command —
host, cluster, platform, runner, GitHub, verify — on a real Debian guest whose k3s is the
stand-in release (its k3s runs the test cluster), against the OpenAPI-validated GitHub stand-in,
every answer from a config file. The two are linked as the real systems are: the stand-in lists
the scale set's runner once the runner phase applied it (runner-link.ts, reading the guest's API
through SSH), and the dispatched `ai_staging_deploy` run is played by running the built CLI's
`build`, `deploy` and `status --in-cluster`, as the workflow's jobs say, with a token of the
service account the runner pods run as, against the guest's API server — its RBAC decides. The
run ends green, its URL is in the report; a second install changes nothing and writes nothing to
GitHub. No container runs in the test cluster: the API gateway's health endpoints, which the
smoke job asks through the API server, are answered by a stand-in at its pods' addresses
(platform-health.ts).
*/
guestTest(
	'local mode: the whole install ends with the runner listed and the deploy run green; a re-run changes nothing and writes nothing; status names a crash-looping pod',
	async t => {
		t.timeout(45 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		await withGuest({}, async guest => {
			const install = await guestInstall(guest, standIn);
			const api = await forwardGuestApi(guest);
			const link = linkRunners(api.admin, standIn, {intervalMs: 500});
			const health = await answerPlatformHealth(guest, api.admin, {
				namespace,
			});
			try {
				const played = playJobsWithBuiltCli(standIn.repo, api.admin, {
					host: '127.0.0.1',
					port: api.port,
					ca: api.ca,
				});
				const first = await runToEnd(install.args(), install.laptop);
				const jobs = () =>
					played
						.map(
							each =>
								`${each.job} (exit ${each.code}):\n${each.stderr}${each.stdout}`,
						)
						.join('\n');
				t.is(first.code, 0, `${first.stderr}\n${jobs()}`);
				const report = reportOf(first);
				const phases = new Set(report.steps.map(step => step.id.split('.')[0]));
				t.deepEqual(
					[...phases],
					[
						'preflight',
						'host',
						'cluster',
						'platform',
						'runner',
						'github',
						'verify',
					],
				);
				const byId = new Map(report.steps.map(step => [step.id, step]));
				// Listed once the runner phase applied the scale set: waited for, or already there.
				t.regex(
					byId.get('verify.runner-online')?.note ?? '',
					/^codex-k8s-ai-staging-runner-1\b/v,
				);
				t.like(byId.get('verify.deploy-run'), {status: 'changed'});
				t.regex(
					byId.get('verify.deploy-run')?.note ?? '',
					/^run https:\/\/github\.com\/acme\/platform\/actions\/runs\/\d+: success$/v,
				);
				t.deepEqual(
					played.map(each => [each.job, each.args.join(' '), each.code]),
					[
						['Build images in the cluster', 'build --in-cluster', 0],
						['Deploy codex-k8s to ai-staging', 'deploy --in-cluster', 0],
						['Smoke checks', 'status --in-cluster', 0],
					],
					jobs(),
				);
				t.deepEqual(
					standIn.repo.runners.map(runner => [runner.name, runner.status]),
					[['codex-k8s-ai-staging-runner-1', 'online']],
				);
				t.deepEqual(link.problems(), []);
				t.deepEqual(
					standIn.violations,
					[],
					'every request matched the OpenAPI description',
				);
				const output = [first, ...played]
					.map(each => `${each.stdout}${each.stderr}`)
					.join('\n');
				for (const secret of install.secrets) {
					t.false(output.includes(secret), 'no secret in any output');
				}

				const writesBefore = standIn.writes().length;
				const runsBefore = standIn.repo.runs.length;
				const second = await runToEnd(install.args(), install.laptop);
				t.is(second.code, 0, second.stderr);
				for (const secret of install.secrets) {
					t.false(
						`${second.stdout}${second.stderr}`.includes(secret),
						'no secret in the re-run',
					);
				}

				const again = reportOf(second);
				t.is(
					again.changes,
					0,
					again.steps
						.filter(step => step.status !== 'ok' && step.status !== 'done')
						.map(step => `${step.id}: ${step.status}`)
						.join('\n'),
				);
				t.is(
					standIn.writes().length,
					writesBefore,
					'no write request to GitHub',
				);
				t.is(standIn.repo.runs.length, runsBefore, 'no new deploy run');
				await statusDrill(t, install, api.admin);
			} finally {
				link.stop();
				await health.stop();
				await api.close();
			}
		});
	},
);
