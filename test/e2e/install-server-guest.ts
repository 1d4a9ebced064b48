import {randomInt} from 'node:crypto';
import {ensureBuilt} from '../helpers/cli.js';
import {reportOf, runToEnd} from '../helpers/drill.js';
import {startDnsServer} from '../helpers/dns/server.js';
import {playJobsWithBuiltCli} from '../helpers/github/cli-jobs.js';
import {linkRunners} from '../helpers/github/runner-link.js';
import {startGitHubStandIn} from '../helpers/github/server.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {guestInstall} from '../helpers/guest-install.js';
import {forwardGuestApi} from '../helpers/k3s-standin/api-tunnel.js';
import {issueCertificates} from '../helpers/k3s-standin/cert-manager.js';
import {answerPlatformHealth} from '../helpers/k3s-standin/platform-health.js';
import {startPublicFront} from '../helpers/k3s-standin/public-front.js';

const domain = 'staging.example.com';

/*
Server mode end to end, as install-full-guest.ts does local mode, with what server mode adds
stood in for: the domain's DNS (a real DNS server, the zone's name server on port 53 of a
loopback address of its own), cert-manager's issuing (cert-manager.ts), and Traefik with the
platform on the guest's port 443 (public-front.ts: a certificate from a test CA the laptop
trusts, the domain resolved to the guest in the laptop command's own /etc/hosts). GitHub's
webhook deliveries are played by the stand-in (answered 200), not sent.
*/
guestTest(
	'server mode: the whole install ends with the deploy run green and the webhook set; a re-run changes nothing and writes nothing',
	async t => {
		t.timeout(45 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		standIn.repo.deliveryStatus = 200;
		const nameServer = `127.${randomInt(100, 250)}.${randomInt(1, 250)}.53`;
		await withGuest({}, async guest => {
			const dns = await startDnsServer(
				{
					[domain]: {a: [guest.address]},
					'example.com': {ns: ['ns1.example.com']},
					'ns1.example.com': {a: [nameServer]},
				},
				{address: nameServer, port: 53},
			);
			const install = await guestInstall(guest, standIn, {
				mode: 'server',
				domain,
				acmeEmail: 'ops@example.com',
				dnsResolver: dns.address,
			});
			const api = await forwardGuestApi(guest);
			const link = linkRunners(api.admin, standIn, {intervalMs: 500});
			const issuing = issueCertificates(api.admin);
			const health = await answerPlatformHealth(guest, api.admin, {
				namespace: 'codex-k8s-ai-staging',
			});
			const front = await startPublicFront(guest, domain);
			const laptop = {
				...install.laptop,
				command: front.command,
				env: {...install.laptop.env, ...front.env},
			};
			try {
				const played = playJobsWithBuiltCli(standIn.repo, api.admin, {
					host: '127.0.0.1',
					port: api.port,
					ca: api.ca,
				});
				const first = await runToEnd(install.args(), laptop);
				const jobs = played
					.map(
						each =>
							`${each.job} (exit ${each.code}):\n${each.stderr}${each.stdout}`,
					)
					.join('\n');
				t.is(first.code, 0, `${first.stderr}\n${jobs}`);
				const byId = new Map(
					reportOf(first).steps.map(step => [step.id, step]),
				);
				t.like(byId.get('preflight.dns'), {
					status: 'done',
					note: `${domain} → ${guest.address} (answered by ns1.example.com (${nameServer}))`,
				});
				for (const id of [
					'cluster.cluster-issuer',
					'platform.ingress',
					'github.webhook',
				]) {
					t.is(byId.get(id)?.status, 'changed', id);
				}

				t.regex(
					byId.get('verify.deploy-run')?.note ?? '',
					/^run https:\/\/github\.com\/acme\/platform\/actions\/runs\/\d+: success$/v,
				);
				t.deepEqual(
					played.map(each => [each.args.join(' '), each.code]),
					[
						['build --in-cluster', 0],
						['deploy --in-cluster', 0],
						['status --in-cluster', 0],
					],
					jobs,
				);
				t.is(standIn.repo.hooks.length, 1);
				t.deepEqual(standIn.violations, []);
				const writesBefore = standIn.writes().length;
				const second = await runToEnd(install.args(), laptop);
				t.is(second.code, 0, second.stderr);
				t.is(reportOf(second).changes, 0, second.stderr);
				t.is(standIn.writes().length, writesBefore, 'no write to GitHub');
				const output = [first, second, ...played]
					.map(each => `${each.stdout}${each.stderr}`)
					.join('\n');
				for (const secret of install.secrets) {
					t.false(output.includes(secret), 'no secret in any output');
				}
			} finally {
				link.stop();
				issuing.stop();
				await health.stop();
				await front.stop();
				await api.close();
				dns.close();
			}
		});
	},
);
