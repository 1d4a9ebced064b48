import {install} from '../../source/commands/install.js';
import type {Step} from '../../source/engine/step.js';
import {allSteps} from '../../steps/index.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {invocation} from '../helpers/invocation.js';

guestTest(
	'logged in as root, the work after the host phase goes through the operator user, with sudo',
	async t => {
		t.timeout(10 * 60_000);
		await withGuest({}, async guest => {
			const seen: string[] = [];
			// Stands in for the first step of the cluster phase, which this version does not have yet.
			const later: Step = {
				id: 'cluster.who-works',
				phase: 'cluster',
				title: 'Who works after the host phase',
				reach: 'host',
				describe: () => [],
				async check() {
					return {kind: 'new', changes: ['look who works here']};
				},
				async apply(context) {
					const user = await context.host!.session.exec('id -un');
					const root = await context.host!.session.exec('id -un', {root: true});
					seen.push(`${user.stdout.trim()} ${root.stdout.trim()}`);
				},
			};
			const registry = [
				...allSteps.filter(
					step => step.phase === 'preflight' || step.phase === 'host',
				),
				later,
			];
			const run = invocation(
				'install',
				{
					host: guest.address,
					identity: guest.rootKeyPath,
					hostKeyFingerprint: guest.hostKeyFingerprint,
					mode: 'local',
					yes: true,
					only: 'host,cluster',
				},
				{env: {CODEXK8S_HTTP_PROXY: guest.aptProxyUrl}},
			);
			t.is(await install(run, {registry}), 0, run.stderrText());
			t.deepEqual(seen, ['codex root'], 'as codex, and root through sudo');
		});
	},
);
