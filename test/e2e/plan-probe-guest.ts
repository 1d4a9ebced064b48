import {ensureBuilt} from '../helpers/cli.js';
import {
	installArgs,
	laptopFor,
	probedPlanOf,
	reportOf,
	runToEnd,
	type Laptop,
} from '../helpers/drill.js';
import {type Guest, guestTest, withGuest} from '../helpers/guest/index.js';

async function probedPlan(guest: Guest, laptop: Laptop) {
	const plan = await probedPlanOf(guest, laptop);
	const host = plan.steps.filter(step => step.phase === 'host');
	return {
		probed: plan.probed,
		changes: plan.changes,
		pending: host
			.filter(step => !['done', 'skipped'].includes(step.status))
			.map(step => `${step.id} ${step.status}`),
		hostSteps: host.length,
	};
}

guestTest(
	'plan --probe on a half-configured host lists exactly the host steps that still have changes',
	async t => {
		t.timeout(180_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const first = await runToEnd(installArgs(guest), laptop);
			t.is(first.code, 0, first.stderr);
			t.true(reportOf(first).ok);

			const converged = await probedPlan(guest, laptop);
			t.deepEqual(converged.pending, []);
			t.is(converged.changes, 0);
			t.true(converged.hostSteps >= 7);

			// Undone behind the installer's back: the saved state still says these steps are done.
			const undo = await guest.exec(
				'rm /etc/fail2ban/jail.d/codex-k8s-install.local /etc/apt/apt.conf.d/99codex-k8s-install-upgrades && deluser --quiet codex sudo >/dev/null 2>&1; rm /etc/sudoers.d/90-codex-k8s-install',
			);
			t.is(undo.code, 0, undo.stderr);
			const half = await probedPlan(guest, laptop);
			t.true(half.probed);
			t.deepEqual(half.pending, [
				'host.operator-user would-change',
				'host.fail2ban would-change',
				'host.unattended-upgrades would-change',
			]);
			t.is(half.changes, 3);

			const repair = await runToEnd(installArgs(guest), laptop);
			t.is(repair.code, 0, repair.stderr);
			t.is(reportOf(repair).changes, 3);
			const repaired = await probedPlan(guest, laptop);
			t.deepEqual(repaired.pending, []);
		});
	},
);
