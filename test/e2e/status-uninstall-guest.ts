import type {ExecutionContext} from 'ava';
import {ensureBuilt} from '../helpers/cli.js';
import {
	hostArgs,
	installArgs,
	laptopFor,
	type Laptop,
	reportOf,
	runToEnd,
} from '../helpers/drill.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {hostSnapshot} from '../helpers/host-phase.js';

type StatusJson = {
	ok: boolean;
	failed: string[];
	roundTrips?: number;
	versions: Record<string, string>;
	answers: Record<string, string>;
	checks: Array<{
		id: string;
		status: string;
		detail: string;
		runbookSection: string;
	}>;
};

type UninstallJson = {
	changes: number;
	removed: Array<{id: string}>;
	kept: string[];
};

const dropIn = '/etc/ssh/sshd_config.d/00-codex-k8s-install.conf';

/*
Issue 19 on one real guest (each boot costs): after `install --only host`, `status` is all well
(exit 0) and names the failing check (exit 1, `--json`) when one thing at a time is broken — the
sshd drop-in removed, an extra port opened in the firewall, the runner offline in the GitHub
stand-in; `doctor` finds no problem; `uninstall` removes what the install made (hardening too,
when asked) and a second one changes nothing; `install` after `uninstall` works again.
*/
guestTest(
	'status proves the host and names what broke; uninstall takes it back, twice is a no-op, and install works again',
	async t => {
		t.timeout(15 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		standIn.repo.runners.push({
			id: 1,
			name: 'codex-k8s-ai-staging-runner-1',
			status: 'online',
			busy: false,
			labels: ['self-hosted', 'codex-k8s-ai-staging'],
		});
		await withGuest({}, async guest => {
			const laptop: Laptop = laptopFor(guest);
			const withToken = {
				...laptop,
				env: {...laptop.env, CODEXK8S_GITHUB_TOKEN: fullToken},
			};
			const github = [
				'--repo',
				`${standIn.repo.owner}/${standIn.repo.name}`,
				'--github-api-url',
				standIn.url,
			];
			const status = async () => {
				const result = await runToEnd(
					['status', '--json', ...hostArgs(guest), ...github],
					withToken,
				);
				return {
					code: result.code,
					document: JSON.parse(result.stdout) as StatusJson,
				};
			};

			const installed = await runToEnd(installArgs(guest), laptop);
			t.is(installed.code, 0, installed.stderr);

			const well = await status();
			t.is(well.code, 0, JSON.stringify(well.document.checks));
			t.deepEqual(well.document.failed, []);
			const byId = new Map(
				well.document.checks.map(check => [check.id, check]),
			);
			t.is(byId.get('host.ssh-hardening')?.status, 'ok');
			t.is(byId.get('host.firewall')?.status, 'ok');
			t.is(byId.get('verify.runner-online')?.status, 'ok');
			t.is(byId.get('cluster.node-ready')?.status, 'absent', 'no k3s here');
			t.is(byId.get('platform.pods')?.status, 'absent');
			t.regex(well.document.versions['os'] ?? '', /^debian /);
			t.is(well.document.answers['mode'], 'local');
			// Login (privilege), every host check's facts in one probe, and the kubeconfig read.
			t.true(
				(well.document.roundTrips ?? 99) <= 3,
				`round trips ${well.document.roundTrips}`,
			);

			const doctor = await runToEnd(['doctor', ...hostArgs(guest)], laptop);
			t.is(doctor.code, 0, doctor.stdout);
			t.regex(doctor.stdout, /No problem found\./);

			await breakAndRepair(t, guest, status, {
				id: 'host.ssh-hardening',
				breakIt: `cp ${dropIn} /root/drop-in.saved && rm ${dropIn}`,
				repair: `cp /root/drop-in.saved ${dropIn}`,
			});
			await breakAndRepair(t, guest, status, {
				id: 'host.firewall',
				breakIt:
					'nft add rule inet codex_k8s_install input tcp dport 8443 accept && /usr/sbin/sshd -p 8443',
				repair:
					'pkill -f "^/usr/sbin/sshd -p 8443"; systemctl restart codex-k8s-install-firewall.service',
			});
			standIn.repo.runners[0]!.status = 'offline';
			const offline = await status();
			t.is(offline.code, 1);
			t.deepEqual(offline.document.failed, ['verify.runner-online']);
			standIn.repo.runners[0]!.status = 'online';

			const uninstall = async () => {
				const result = await runToEnd(
					[
						'uninstall',
						'--yes',
						'--json',
						'--remove',
						'hardening',
						...hostArgs(guest),
					],
					laptop,
				);
				t.is(result.code, 0, result.stderr);
				return JSON.parse(result.stdout) as UninstallJson;
			};

			const first = await uninstall();
			t.true(first.changes >= 5, JSON.stringify(first.removed));
			t.true(first.kept.some(line => line.startsWith('Operator user')));
			const gone = await guest.exec(
				`test ! -e ${dropIn} && ! nft list table inet codex_k8s_install 2>/dev/null && test ! -e /etc/sysctl.d/90-codex-k8s-install.conf && id codex`,
			);
			t.is(gone.code, 0, 'hardening and settings gone, the operator kept');
			const before = await hostSnapshot(guest);
			const second = await uninstall();
			t.is(second.changes, 0, JSON.stringify(second.removed));
			t.is(
				await hostSnapshot(guest),
				before,
				'the second uninstall changed nothing',
			);

			const after = await status();
			t.is(
				after.code,
				0,
				`${JSON.stringify(after.document.checks.filter(check => check.status === 'failed'))}: ` +
					'nothing installed is missing: the record forgot what was removed',
			);
			t.is(
				after.document.checks.find(check => check.id === 'host.ssh-hardening')
					?.status,
				'absent',
			);

			const again = await runToEnd(installArgs(guest), laptop);
			t.is(again.code, 0, again.stderr);
			t.true(reportOf(again).changes >= 5);
			const reinstalled = await status();
			t.is(reinstalled.code, 0);
		});
	},
);

async function breakAndRepair(
	t: ExecutionContext,
	guest: Guest,
	status: () => Promise<{code: number | undefined; document: StatusJson}>,
	{id, breakIt, repair}: {id: string; breakIt: string; repair: string},
): Promise<void> {
	const broken = await guest.exec(breakIt);
	t.is(broken.code, 0, broken.stderr);
	const result = await status();
	t.is(result.code, 1, `${id} broken: exit 1`);
	t.deepEqual(result.document.failed, [id]);
	t.not(
		result.document.checks.find(check => check.id === id)?.runbookSection,
		undefined,
	);
	const repaired = await guest.exec(repair);
	t.is(repaired.code, 0, repaired.stderr);
	const repairedStatus = await status();
	t.is(repairedStatus.code, 0, `${id} repaired`);
}
