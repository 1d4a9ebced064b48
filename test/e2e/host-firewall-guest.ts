import {connect} from 'node:net';
import {ensureBuilt} from '../helpers/cli.js';
import {
	installArgs,
	laptopFor,
	type Laptop,
	probedPlanOf,
	reportOf,
	runToEnd,
} from '../helpers/drill.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';
import {poll} from '../helpers/guest/process.js';

async function probedPlan(guest: Guest, laptop: Laptop) {
	const {steps} = await probedPlanOf(guest, laptop);
	return new Map(steps.map(step => [step.id, step]));
}

/** Resolves with the first bytes a TCP server at `port` sends, or the connection's error. */
async function banner(guest: Guest, port: number): Promise<string> {
	return new Promise(resolve => {
		const socket = connect({host: guest.address, port});
		socket.setTimeout(5000, () => {
			socket.destroy();
			resolve('timed out');
		});
		socket.once('data', data => {
			socket.destroy();
			resolve(data.toString('utf8').split('\n')[0]!);
		});
		socket.once('error', error => {
			resolve(error.message);
		});
	});
}

/**
 * The SSH banner of the server at `port`, waited for: a daemon just started may not listen yet.
 * What the connection last answered is kept for the assertion when no banner comes.
 */
async function sshBanner(guest: Guest, port: number): Promise<string> {
	let last = '';
	await poll(
		async () => {
			last = await banner(guest, port);
			return last.startsWith('SSH-2.0-');
		},
		Date.now() + 60_000,
		() => new Error(`no SSH banner on port ${port}: ${last}`),
		250,
	).catch(() => undefined);
	return last;
}

/*
Issue 12 items 4 and 5, on a real guest: a fresh host's plan predicts what install does (firewall
and SSH hardening would change; nothing is blocked for want of internal wiring), and a host where
ufw is active and allows 8080 is never overridden silently: the plan blocks and names the port,
install changes nothing, and once the operator keeps 8080/tcp it stays reachable through our table.
*/
guestTest(
	'host firewall: the plan predicts install on a fresh host; ufw allowing 8080 blocks until the port is kept, then it stays reachable',
	async t => {
		t.timeout(8 * 60_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const fresh = await probedPlan(guest, laptop);
			for (const id of ['host.firewall', 'host.ssh-hardening']) {
				t.is(
					fresh.get(id)?.status,
					'would-change',
					JSON.stringify(fresh.get(id)),
				);
			}

			// A second sshd stands in for the operator's web service on 8080.
			const setup = await guest.exec(
				'DEBIAN_FRONTEND=noninteractive apt-get install -y -q ufw >/dev/null && ufw allow 22/tcp >/dev/null && ufw allow 8080/tcp >/dev/null && ufw --force enable && /usr/sbin/sshd -p 8080',
				{timeoutMs: 300_000},
			);
			t.is(setup.code, 0, setup.stderr);
			t.regex(await sshBanner(guest, 8080), /^SSH-2\.0-/);

			const withUfw = await probedPlan(guest, laptop);
			const firewall = withUfw.get('host.firewall');
			t.is(firewall?.status, 'failed');
			t.regex(firewall?.error ?? '', /ufw allows 8080\/tcp/);
			t.regex(firewall?.hint ?? '', /CODEXK8S_FIREWALL_KEEP_PORTS=8080\/tcp/);
			t.regex(
				withUfw.get('host.system-settings')?.changes.join('\n') ?? '',
				/ufw's routed policy \(DROP\) starts to apply/,
			);

			const refused = await runToEnd(installArgs(guest), laptop);
			t.not(refused.code, 0);
			t.regex(refused.stderr, /Nothing was changed/);
			const noTable = await guest.exec('nft list table inet codex_k8s_install');
			t.not(noTable.code, 0, 'no table was loaded');

			const kept = await runToEnd(installArgs(guest), {
				...laptop,
				env: {...laptop.env, CODEXK8S_FIREWALL_KEEP_PORTS: '8080/tcp'},
			});
			t.is(kept.code, 0, kept.stderr);
			t.true(reportOf(kept).ok);
			const table = await guest.exec('nft list table inet codex_k8s_install');
			t.regex(table.stdout, /tcp dport { 22, 8080 } accept/);
			t.regex(await sshBanner(guest, 8080), /^SSH-2\.0-/);
		});
	},
);
