import type {ExecutionContext} from 'ava';
import {ensureBuilt} from '../helpers/cli.js';
import {
	drillOutcome,
	installArgs,
	laptopFor,
	type Laptop,
	reportOf,
	runToEnd,
	startOn,
	strike,
	waitOnGuest,
} from '../helpers/drill.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';

/*
The hardening step takes well under a second, too short to hit by polling. So the host is first
converged, then its proof marker is removed: ssh-hardening is the only step with a change, and it
re-applies the drop-in, reloads sshd and proves a new login as `codex`. A PAM account hook makes
that login wait 4 s, and the drill strikes while the hook runs: after the reload, before the proof.
*/
const hook = '/usr/local/sbin/ck8s-slow-login';
const slowLogin = [
	String.raw`printf '#!/bin/sh\n[ "$PAM_USER" = codex ] && sleep 4\nexit 0\n' > ${hook}`,
	`chmod 0755 ${hook}`,
	`echo "account optional pam_exec.so ${hook}" >> /etc/pam.d/sshd`,
	'rm /var/lib/codex-k8s-install/sshd-drop-in.proven',
].join(' && ');
const fastLogin = String.raw`sed -i '\|${hook}|d' /etc/pam.d/sshd`;
const proofPending =
	'test -f /etc/ssh/sshd_config.d/00-codex-k8s-install.conf && ! test -f /var/lib/codex-k8s-install/sshd-drop-in.proven';

async function prepare(t: ExecutionContext, guest: Guest, laptop: Laptop) {
	const first = await runToEnd(installArgs(guest), laptop);
	t.is(first.code, 0, first.stderr);
	t.true(reportOf(first).ok);
	const slowed = await guest.exec(slowLogin);
	t.is(slowed.code, 0, slowed.stderr);
}

const expected = {
	'Ctrl-C': {exitCode: 130, says: /Interrupted/},
	'SSH cut': {
		exitCode: 1,
		says: /connection was lost before a new login as codex was proven/,
	},
} as const;

for (const kind of ['Ctrl-C', 'SSH cut'] as const) {
	guestTest(
		`${kind} while ssh-hardening proves a new login after the sshd reload: resume finishes, a re-run changes nothing`,
		async t => {
			t.timeout(8 * 60_000);
			ensureBuilt();
			await withGuest({}, async guest => {
				const laptop = laptopFor(guest);
				await prepare(t, guest, laptop);
				const cli = startOn(installArgs(guest), laptop);
				t.true(
					// The hook's sleep, only in codex's login (pgrep -f on the hook's path would match the
					// shell that runs pgrep, at once).
					await waitOnGuest(guest, 'pgrep -f "^sleep 4$" >/dev/null', cli),
					`the new login never started: ${cli.stderr()}`,
				);
				const pending = await guest.exec(proofPending);
				const stopped = await strike(kind, cli, guest);

				const undo = await guest.exec(
					'systemctl is-active codex-k8s-install-ssh-undo.timer || true',
				);
				await guest.exec(fastLogin);
				const outcome = await drillOutcome(guest, laptop, stopped);
				t.log(outcome.stderrTail, outcome.resumeStderr);
				const sshd = await guest.exec(
					'sshd -T | grep -i "^passwordauthentication"',
				);
				t.like(
					{
						...outcome,
						struckAfterReloadBeforeProof: pending.code === 0,
						says: expected[kind].says.test(stopped.stderr),
						// Rolled back on Ctrl-C; armed to undo by itself when the link was lost.
						undoTimer: undo.stdout.trim(),
						hardened: sshd.stdout.trim(),
					},
					{
						struckAfterReloadBeforeProof: true,
						exitCode: expected[kind].exitCode,
						says: true,
						undoTimer: kind === 'Ctrl-C' ? 'inactive' : 'active',
						tellsHowToResume: true,
						loginAfterStop: 0,
						resumeExit: 0,
						finalExit: 0,
						finalChanges: 0,
						lockHeldAtEnd: false,
						hardened: 'passwordauthentication no',
					},
				);
			});
		},
	);
}
