import {readFileSync} from 'node:fs';
import {join} from 'node:path';
import {ensureBuilt} from '../helpers/cli.js';
import {hostArgs, laptopFor, reportOf, runToEnd} from '../helpers/drill.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';

/*
Issue 12 item 6: `install --only preflight` runs every preflight check — the host's (over a real
SSH connection, trusting its key) and the token's — not only the laptop's.
*/
guestTest(
	'install --only preflight connects: the host and token checks run and the host key is trusted',
	async t => {
		t.timeout(5 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const preflightOnly = [
				'install',
				'--only',
				'preflight',
				'--yes',
				'--non-interactive',
				'--json',
				...hostArgs(guest),
			];
			const result = await runToEnd(
				[
					...preflightOnly,
					'--repo',
					`${standIn.repo.owner}/${standIn.repo.name}`,
					'--github-api-url',
					standIn.url,
				],
				{
					...laptop,
					env: {...laptop.env, CODEXK8S_GITHUB_TOKEN: fullToken},
				},
			);
			t.is(result.code, 0, result.stderr);
			const report = reportOf(result);
			const status = new Map(report.steps.map(step => [step.id, step.status]));
			for (const id of [
				'preflight.os',
				'preflight.arch',
				'preflight.privilege',
				'preflight.resources',
				'preflight.first-boot',
				'preflight.github-token',
			]) {
				t.is(status.get(id), 'done', id);
			}

			t.false(report.steps.some(step => !step.id.startsWith('preflight.')));
			const knownHosts = readFileSync(
				join(laptop.home, '.ssh', 'known_hosts'),
				'utf8',
			);
			t.true(knownHosts.includes(guest.address), 'the host key is trusted');

			// Without a repository and token the host's checks still run; the token's says why not.
			const hostOnly = await runToEnd(preflightOnly, laptop);
			t.is(hostOnly.code, 0, hostOnly.stderr);
			const steps = new Map(
				reportOf(hostOnly).steps.map(step => [step.id, step.status]),
			);
			t.is(steps.get('preflight.os'), 'done');
			t.is(steps.get('preflight.github-token'), 'skipped');
		});
	},
);
