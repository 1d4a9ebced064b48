import {mkdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {ensureBuilt} from '../helpers/cli.js';
import {
	hostArgs,
	installArgs,
	laptopFor,
	type Laptop,
	reportOf,
	runToEnd,
} from '../helpers/drill.js';
import {marker} from '../../source/github/files.js';
import {workflowPath} from '../../source/github/workflow.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {hostSnapshot, loginAs} from '../helpers/host-phase.js';

type UninstallJson = {
	changes: number;
	removed: Array<{id: string; changes: string[]}>;
	kept: string[];
};

const sudoers = '/etc/sudoers.d/90-codex-k8s-install';

/*
`uninstall --remove operator,github` on a real guest after `install --only host`. Logged in as the
operator it would remove (by --user, or by the User of a ~/.ssh/config Host entry), the uninstall
refuses before it changes anything: its own login would be cut. Logged in as root it removes the
operator user and its sudoers drop-in (the home stays, said so), deletes the workflow file from
the GitHub stand-in's repository, and root still logs in; a second uninstall changes nothing.
`install` then makes the operator again, taking over the kept home even when the old uid went to
another user.
*/
guestTest(
	'uninstall --remove operator never removes its own login; as root it removes the operator, twice is a no-op, and install makes it again',
	async t => {
		t.timeout(15 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		await withGuest({}, async guest => {
			const laptop: Laptop = laptopFor(guest);
			const installed = await runToEnd(installArgs(guest), laptop);
			t.is(installed.code, 0, installed.stderr);
			const made = await guest.exec(`id codex && test -f ${sudoers}`);
			t.is(made.code, 0, made.stderr);
			standIn.repo.files.set(workflowPath, `${marker}\nname: deploy\n`);

			const github = [
				'--repo',
				`${standIn.repo.owner}/${standIn.repo.name}`,
				'--github-api-url',
				standIn.url,
			];
			const uninstall = async (target = hostArgs(guest)) =>
				runToEnd(
					[
						'uninstall',
						'--yes',
						'--json',
						'--remove',
						'operator,github',
						...target,
						...github,
					],
					{...laptop, env: {...laptop.env, CODEXK8S_GITHUB_TOKEN: fullToken}},
				);

			// Its own login: refused with a usage error, nothing changed on the host or in GitHub.
			const before = await hostSnapshot(guest);
			const asOperator = await uninstall([
				...hostArgs(guest),
				'--user',
				'codex',
			]);
			t.is(asOperator.code, 2, asOperator.stderr);
			t.regex(
				asOperator.stderr,
				/Cannot remove the operator user codex: this uninstall is logged in as codex/,
			);
			mkdirSync(join(laptop.home, '.ssh'), {recursive: true});
			writeFileSync(
				join(laptop.home, '.ssh', 'config'),
				`Host staging-operator\n\tHostName ${guest.address}\n\tUser codex\n`,
			);
			const byAlias = await uninstall([
				'--host',
				'staging-operator',
				...hostArgs(guest).slice(2),
			]);
			t.is(byAlias.code, 2, byAlias.stderr);
			t.regex(byAlias.stderr, /this uninstall is logged in as codex/);
			t.is(await hostSnapshot(guest), before, 'a refusal changes nothing');
			t.true(standIn.repo.files.has(workflowPath));
			t.deepEqual(standIn.writes(), []);

			const first = await uninstall();
			t.is(first.code, 0, first.stderr);
			const removed = JSON.parse(first.stdout) as UninstallJson;
			const ids = removed.removed.map(item => item.id);
			t.true(ids.includes('host.operator-user'), JSON.stringify(ids));
			t.true(ids.includes('github.workflow'), JSON.stringify(ids));
			t.true(
				removed.kept.some(line => line.startsWith('SSH hardening')),
				'hardening kept: not asked for',
			);
			t.true(
				removed.kept.some(line => line.includes('home directory of codex')),
				'the kept home is said',
			);
			const gone = await guest.exec(
				`! id codex 2>/dev/null && test ! -e ${sudoers} && test -d /home/codex`,
			);
			t.is(gone.code, 0, 'the operator and its sudoers gone, its home kept');
			t.false(standIn.repo.files.has(workflowPath), 'the workflow deleted');
			const root = await loginAs(guest, 'root', guest.rootKeyPath, 'id -un');
			t.is(root.stdout.trim(), 'root', 'root still logs in');

			const settled = await hostSnapshot(guest);
			const writes = standIn.writes().length;
			const second = await uninstall();
			t.is(second.code, 0, second.stderr);
			t.is((JSON.parse(second.stdout) as UninstallJson).changes, 0);
			t.is(await hostSnapshot(guest), settled, 'the second changed nothing');
			t.is(standIn.writes().length, writes, 'nor in GitHub');

			// The freed uid goes to someone else: the operator made again takes over its kept home.
			const squatter = await guest.exec('useradd --user-group squatter');
			t.is(squatter.code, 0, squatter.stderr);
			const again = await runToEnd(installArgs(guest), laptop);
			t.is(again.code, 0, again.stderr);
			t.true(reportOf(again).changes > 0);
			const owner = await guest.exec(
				'stat -c %U /home/codex /home/codex/.ssh/authorized_keys',
			);
			t.is(owner.stdout, 'codex\ncodex\n');
			const operator = await loginAs(
				guest,
				'codex',
				guest.rootKeyPath,
				'sudo -n id -un',
			);
			t.is(operator.stdout.trim(), 'root', 'the operator logs in and has sudo');
		});
	},
);
