import {ensureBuilt} from '../helpers/cli.js';
import {
	hostArgs,
	installArgs,
	laptopFor,
	reportOf,
	runToEnd,
	startUntilApt,
} from '../helpers/drill.js';
import {guestTest, withGuest} from '../helpers/guest/index.js';
import {fullToken, startGitHubStandIn} from '../helpers/github/server.js';
import {
	airGapEnvironment,
	placeTestCluster,
	standInRelease,
} from '../helpers/k3s-standin/release.js';
import {pins} from '../../source/pins.js';
import {startInTerminal} from '../helpers/terminal.js';

const keys = {enter: '\r', escape: '\u001B'};

guestTest(
	'in a terminal: the wizard with the live token check, the host key screen, the plan, the live run and the summary; a real server and the GitHub stand-in',
	async t => {
		t.timeout(10 * 60_000);
		ensureBuilt();
		const standIn = await startGitHubStandIn();
		t.teardown(async () => standIn.close());
		await withGuest({}, async guest => {
			// The cluster phase installs a stand-in k3s release from local files (docs/cluster.md).
			await placeTestCluster(guest);
			const laptop = laptopFor(guest);
			const terminal = startInTerminal(
				[
					'install',
					// The runner phase is left out: the test cluster cannot install ARC's charts.
					'--only',
					'host,cluster,github',
					'--identity',
					guest.rootKeyPath,
					'--github-api-url',
					standIn.url,
				],
				{
					home: laptop.home,
					env: {
						...laptop.env,
						...airGapEnvironment(standInRelease(pins.k3s.version)),
					},
				},
			);
			try {
				await terminal.waitFor(/1\/6 Server address or ~\/\.ssh\/config alias/);
				await terminal.type(...'not a host!', keys.enter);
				await terminal.waitFor(/✖ .*/);
				// Back to an empty answer, then the real one.
				await terminal.type(
					...'\u007F'.repeat(11),
					...guest.address,
					keys.enter,
				);
				await terminal.waitFor(/2\/6 SSH port/);
				await terminal.type(keys.enter);
				await terminal.waitFor(/3\/6 Login user/);
				await terminal.type(keys.escape);
				await terminal.waitFor(/2\/6 SSH port/);
				await terminal.type(keys.enter, keys.enter);
				await terminal.waitFor(/4\/6 Runner mode/);
				await terminal.type(keys.enter);
				await terminal.waitFor(/5\/6 GitHub repository/);
				await terminal.type(
					...`${standIn.repo.owner}/${standIn.repo.name}`,
					keys.enter,
				);
				await terminal.waitFor(/6\/6 GitHub fine-grained token/);
				await terminal.type(fullToken, keys.enter);
				await terminal.waitFor(/✔ Administration \(write\)/);
				await terminal.type(keys.enter);
				await terminal.waitFor(
					/Review[\s\S]*GitHub fine-grained token: \(hidden\)/,
				);
				await terminal.type(keys.enter);
				await terminal.waitFor(
					/Its ssh-ed25519 key\s+fingerprint is SHA256:/,
					60_000,
				);
				await terminal.type('y');
				await terminal.waitFor(/Plan for root@/, 60_000);
				await terminal.waitFor(/Apply \d+ changes\?/, 60_000);
				await terminal.type('y', keys.enter);
				await terminal.waitFor(/✔ Label catalog[\s\S]*Log: \S+\.log/, 300_000);
				t.is(await terminal.exitCode, 0, terminal.screen().slice(-2000));
			} finally {
				terminal.child.kill();
			}

			t.false(
				terminal.screen().includes(fullToken),
				'the token is never drawn',
			);
			const sshd = await guest.exec(
				'sshd -T | grep -i "^passwordauthentication"',
			);
			t.is(sshd.stdout, 'passwordauthentication no\n');
			t.is(standIn.repo.labels.size, 46);
			t.deepEqual(standIn.violations, []);
		});
	},
);

guestTest(
	'in a terminal, an interrupted install of the same server is offered for resume on start, and finishes',
	async t => {
		t.timeout(5 * 60_000);
		ensureBuilt();
		await withGuest({}, async guest => {
			const laptop = laptopFor(guest);
			const cli = await startUntilApt(guest, laptop);
			cli.child.kill('SIGINT');
			const stopped = await cli.result;
			t.is(stopped.code, 130);

			const terminal = startInTerminal(['install', ...hostArgs(guest)], {
				home: laptop.home,
				env: laptop.env,
			});
			try {
				await terminal.waitFor(
					/The install of root@[\d.]+:22 started \S+ \(--only host\) was interrupted at host\.[a-z-]+\. Resume it\? \[Y\/n]/,
				);
				await terminal.type(keys.enter);
				await terminal.waitFor(/Plan for root@/, 60_000);
				await terminal.waitFor(/Apply \d+ changes\?/, 60_000);
				await terminal.type('y', keys.enter);
				await terminal.waitFor(/✔ Base packages[\s\S]*Log: \S+\.log/, 180_000);
				t.is(await terminal.exitCode, 0, terminal.screen().slice(-2000));
				t.notRegex(terminal.screen(), /Server address/, 'no wizard on resume');
			} finally {
				terminal.child.kill();
			}

			const final = await runToEnd(installArgs(guest), laptop);
			t.is(reportOf(final).changes, 0);
		});
	},
);
