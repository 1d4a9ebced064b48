import {writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {stringify} from 'yaml';
import {ensureBuilt} from '../helpers/cli.js';
import {laptopFor, reportOf, runToEnd} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {reveal} from '../helpers/github/state.js';
import {fakeSecret} from '../helpers/secrets.js';

/*
The first milestone end to end: plain `install` (no --only) from the built command hardens a real
Debian guest and wires the repository on the OpenAPI-validated GitHub stand-in, every answer from
a config file; a second run changes nothing on either and makes no write request to GitHub.
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
			// The install as a script runs it: every answer in a config file, secrets in files
			// readable by the operator only, nothing asked.
			const secretFile = (name: string, value: string) => {
				const path = join(laptop.home, name);
				writeFileSync(path, `${value}\n`, {mode: 0o600});
				return path;
			};

			const config = join(laptop.home, 'staging.yaml');
			writeFileSync(
				config,
				stringify({
					connection: {
						host: guest.address,
						identity: guest.rootKeyPath,
						hostKeyFingerprint: guest.hostKeyFingerprint,
					},
					mode: 'local',
					github: {
						repo: `${standIn.repo.owner}/${standIn.repo.name}`,
						apiUrl: standIn.url,
						tokenFile: secretFile('github-token', fullToken),
					},
					platform: {
						openaiApiKeyFile: secretFile('openai-key', openaiKey),
						gitBotTokenFile: secretFile('git-bot-token', fakeSecret('ghp_')),
					},
				}),
			);
			const args = [
				'install',
				'--yes',
				'--non-interactive',
				'--json',
				'--config',
				config,
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
