import {ensureBuilt} from '../helpers/cli.js';
import {hostArgs, laptopFor, reportOf, runToEnd} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {reveal} from '../helpers/github/state.js';
import {fakeSecret} from '../helpers/secrets.js';

/*
The first milestone end to end: plain `install` (no --only) from the built command hardens a real
Debian guest and wires the repository on the OpenAPI-validated GitHub stand-in; a second run
changes nothing on either and makes no write request to GitHub.
*/
guestTest(
	'install (every phase this version has) hardens the host and wires GitHub; a re-run changes nothing and writes nothing',
	async t => {
		t.timeout(10 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		const openaiKey = fakeSecret('sk-test-openai-');
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			laptop.env = {
				...laptop.env,
				CODEXK8S_GITHUB_TOKEN: fullToken,
				CODEXK8S_OPENAI_API_KEY: openaiKey,
				CODEXK8S_GIT_BOT_TOKEN: fakeSecret('ghp_'),
				CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: fakeSecret('oauth-'),
			};
			const args = [
				'install',
				'--yes',
				'--non-interactive',
				'--json',
				...hostArgs(guest),
				'--repo',
				`${standIn.repo.owner}/${standIn.repo.name}`,
				'--github-api-url',
				standIn.url,
				'--owner-email',
				'owner@example.com',
				'--oauth-client-id',
				'Iv1.0123456789abcdef',
			];
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
				'github.variables',
				'github.secrets',
				'github.labels',
				'github.workflow',
			]) {
				t.true(changed.has(id), `${id} changed`);
			}

			t.regex(first.stderr, /come in a later version/);
			t.deepEqual(
				standIn.violations,
				[],
				'every request matched the OpenAPI description',
			);
			t.is(reveal(standIn.repo, 'CODEXK8S_OPENAI_API_KEY'), openaiKey);
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
