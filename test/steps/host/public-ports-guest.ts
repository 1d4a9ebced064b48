// On a real guest over real SSH: in server mode the host phase's table leaves 80/443 closed; the
// cluster phase's `cluster.public-ports` opens them; a re-run of the host phase keeps them, and a
// move to local mode closes them again.
import type {Step} from '../../../source/engine/step.js';
import {basePackagesStep} from '../../../steps/host/base-packages.js';
import {firewall, publicPorts} from '../../../steps/host/firewall.js';
import {guestTest, withGuest} from '../../helpers/guest/index.js';
import {
	guestInput,
	guestLoginVerifier,
	operatorKeyPair,
	rootSession,
	runHostPhase,
} from '../../helpers/host-phase.js';
import {stdoutOf} from '../../helpers/remote-guest.js';

const tcpRule =
	"nft list table inet codex_k8s_install | grep -o 'tcp dport .* accept'";

guestTest(
	'server mode: 80/443 stay closed through the host phase, open with cluster.public-ports, and are kept by a re-run',
	async t => {
		t.timeout(15 * 60_000);
		await withGuest({name: 'public-ports'}, async guest => {
			const operatorKey = operatorKeyPair();
			const server = guestInput(guest, operatorKey, {
				mode: 'server',
				domain: 'staging.example.com',
				acmeEmail: 'ops@example.com',
			});
			const verifyLogin = guestLoginVerifier(guest, operatorKey);
			const session = await rootSession(guest);
			const run = async (steps: readonly Step[], input = server) =>
				runHostPhase(session, input, {steps, verifyLogin});

			const host = await run([basePackagesStep, firewall]);
			t.true(host.ok, String(host.error));
			t.is(await stdoutOf(guest.exec(tcpRule)), 'tcp dport 22 accept\n');

			const published = await run([publicPorts]);
			t.true(published.ok, String(published.error));
			t.is(published.steps[0]?.status, 'changed');
			t.is(
				await stdoutOf(guest.exec(tcpRule)),
				'tcp dport { 22, 80, 443 } accept\n',
			);

			const again = await run([firewall, publicPorts]);
			t.deepEqual(
				again.steps.map(step => step.status),
				['done', 'done'],
			);

			const local = await run([firewall, publicPorts], {
				...server,
				mode: 'local',
			});
			t.true(local.ok, String(local.error));
			t.is(await stdoutOf(guest.exec(tcpRule)), 'tcp dport 22 accept\n');
			await session.close();
		});
	},
);
