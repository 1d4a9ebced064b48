import {ensureBuilt} from '../helpers/cli.js';
import {reportOf, runToEnd} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {startGitHubStandIn} from '../helpers/github/server.js';
import {guestInstall} from '../helpers/guest-install.js';
import {
	listenOnGuestAddress,
	reachableFromOutside,
} from '../helpers/k3s-standin/api-port.js';

/*
The first milestone end to end: `install` of the host, cluster and GitHub phases from the built
command hardens a real Debian guest, installs k3s there (a stand-in release from local files whose k3s runs the test
cluster, see docs/cluster.md) and wires the repository on the OpenAPI-validated GitHub stand-in,
every answer from a config file; a second run changes nothing on either and makes no write
request to GitHub.
*/
guestTest(
	'install --only host,cluster,github hardens the host, installs k3s and wires GitHub; a re-run changes nothing and writes nothing',
	async t => {
		t.timeout(10 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		await withGuest({}, async guest => {
			const install = await guestInstall(guest, standIn);
			const {laptop, openaiKey} = install;
			// The platform, runner and verify phases are left out here: the whole install is
			// install-full-guest.ts's (and install-server-guest.ts's).
			const args = install.args('host,cluster,github');
			const first = await runToEnd(args, laptop);
			t.is(first.code, 0, first.stderr);
			const firstReport = reportOf(first);
			const changed = new Set(
				firstReport.steps
					.filter(step => step.status === 'changed')
					.map(step => step.id),
			);
			for (const id of [
				'host.firewall',
				'host.ssh-hardening',
				'cluster.k3s',
				'cluster.kubeconfig',
				'github.variables',
				'github.labels',
				'github.workflow',
			]) {
				t.true(changed.has(id), `${id} changed`);
			}

			// The API answers through SSH only: with something listening on the guest's own address
			// at 6443, as a real k3s does, the host firewall keeps it from the outside.
			t.true(await listenOnGuestAddress(guest, 6443), 'a listener on 6443');
			t.true(await reachableFromOutside(guest.address, guest.port));
			t.false(await reachableFromOutside(guest.address, 6443));
			t.deepEqual(
				standIn.violations,
				[],
				'every request matched the OpenAPI description',
			);
			// The workflow reads the platform's secrets in the cluster: none goes to the repository.
			t.is(standIn.repo.secrets.size, 0);
			const sshd = await guest.exec(
				'sshd -T | grep -i "^passwordauthentication"',
			);
			t.is(sshd.stdout, 'passwordauthentication no\n');
			t.false(first.stdout.includes(openaiKey), 'no secret in the report');
			t.false(first.stderr.includes(openaiKey), 'no secret in the output');

			const writesBefore = standIn.writes().length;
			const second = await runToEnd(args, laptop);
			t.is(second.code, 0, second.stderr);
			const secondReport = reportOf(second);
			t.is(secondReport.changes, 0);
			t.is(standIn.writes().length, writesBefore, 'no write request to GitHub');
		});
	},
);
