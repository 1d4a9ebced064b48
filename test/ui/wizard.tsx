import test from 'ava';
import {sshConfigSuggestion} from '../../source/commands/wizard.js';
import {allPermissions} from '../../source/github/permissions.js';
import {dnsCheck, permissionCheck} from '../../source/ui/wizard/Checks.js';
import {questionsFor} from '../../source/ui/wizard/questions.js';
import {fakeSecret} from '../helpers/secrets.js';
import {keys} from '../helpers/ink.js';
import {homeWithSsh} from '../helpers/keys.js';
import {
	reportLacking,
	startWizard as start,
	wrongDns,
} from '../helpers/wizard-driver.js';

const questions = (phases: Parameters<typeof questionsFor>[0]) =>
	questionsFor(phases, new Map());

for (const columns of [80, 60]) {
	test(`first screen, an empty answer refused, then the port: exact frames at ${columns} columns`, async t => {
		const wizard = start({}, columns);
		await wizard.press('');
		t.is(
			wizard.frame(),
			['1/5 Server address or ~/.ssh/config alias', '›'].join('\n'),
		);
		await wizard.press(keys.enter);
		t.is(
			wizard.frame(),
			[
				'1/5 Server address or ~/.ssh/config alias',
				'›',
				'✖ an answer is needed here',
			].join('\n'),
		);
		await wizard.press('203.0.113.10', keys.enter);
		t.is(wizard.frame(), ['2/5 SSH port', '› (Enter to skip)'].join('\n'));
		wizard.unmount();
	});

	test(`the mode screen explains both modes: exact frame at ${columns} columns`, async t => {
		const wizard = start({}, columns);
		await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
		await wizard.press(keys.enter);
		t.is(
			wizard.frame(),
			columns === 80
				? [
						'5/5 Runner mode',
						'❯ local',
						'  server + domain',
						'local: one runner always waiting, no domain: staging through the server',
						'server + domain: runners per job, up to a maximum; public HTTPS on your domain',
					].join('\n')
				: [
						'5/5 Runner mode',
						'❯ local',
						'  server + domain',
						'local: one runner always waiting, no domain: staging through',
						' the server',
						'server + domain: runners per job, up to a maximum; public',
						'HTTPS on your domain',
					].join('\n'),
		);
		wizard.unmount();
	});
}

test('server mode: a domain that does not point at the host shows the DNS problem; Esc edits it, Enter goes on', async t => {
	const checked: string[] = [];
	const wizard = start({
		checks: {
			async domain(answers) {
				checked.push(answers['domain']!);
				return dnsCheck(wrongDns);
			},
		},
	});
	await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	await wizard.press(keys.enter, keys.down, keys.enter);
	await wizard.press('staging.example.com', keys.enter);
	t.is(
		wizard.frame(),
		[
			'6/7 Public domain of staging',
			'every A and AAAA record must point at the server',
			'› staging.example.com',
			'✖ staging.example.com points at 198.51.100.7, not at the host (203.0.113.10)',
			'→ Point an A record of staging.example.com at 203.0.113.10 and remove any AAAA',
			'record, wait for it to be visible, then run again.',
			'The install waits for DNS before it changes anything, so you may go on.',
			'Enter: go on · Esc: change the answer',
		].join('\n'),
	);
	await wizard.press(keys.escape);
	t.is(
		wizard.frame(),
		[
			'6/7 Public domain of staging',
			'every A and AAAA record must point at the server',
			'› staging.example.com',
		].join('\n'),
	);
	await wizard.press(keys.enter, keys.enter);
	t.is(wizard.frame(), ['7/7 E-mail for Let’s Encrypt', '›'].join('\n'));
	t.deepEqual(checked, ['staging.example.com', 'staging.example.com']);
	wizard.unmount();
});

const report = reportLacking(
	'repository_hooks',
	'403, needs repository_hooks=read',
);

test('the token is masked and checked at once: the permission table names what is missing; the review hides it and repeats what is missing', async t => {
	const token = fakeSecret('github_pat_');
	const done: unknown[] = [];
	const wizard = start({
		questions: questions(['preflight', 'host', 'github']),
		checks: {
			'github.token': async () => permissionCheck(report),
		},
		onDone(answers) {
			done.push(answers);
		},
	});
	await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	await wizard.press(keys.enter, keys.enter, 'acme/platform', keys.enter);
	await wizard.press(token, keys.enter);
	const frame = wizard.frame();
	t.false(frame.includes(token), 'the token is never echoed');
	t.is(
		frame,
		[
			'7/7 GitHub fine-grained token',
			'checked at once, read-only: the table shows what it may do',
			`› ${'•'.repeat(token.length)}`,
			'fine-grained token of octo',
			...allPermissions.map(need =>
				need.permission === 'repository_hooks'
					? `✖ ${need.label} (${need.level}) — 403, needs repository_hooks=read`
					: `✔ ${need.label} (${need.level})`,
			),
			`Add to the token: Webhooks (${allPermissions.find(need => need.permission === 'repository_hooks')!.level})`,
			'Enter: go on · Esc: change the answer',
		].join('\n'),
	);
	await wizard.press(keys.enter);
	t.is(
		wizard.frame(),
		[
			'Review',
			'Server address or ~/.ssh/config alias: 203.0.113.10',
			'SSH port: (skipped)',
			'Login user: (skipped)',
			'Key to log in with: the usual ones (ssh-agent, ~/.ssh)',
			'Runner mode: local',
			'GitHub repository (owner/name): acme/platform',
			'GitHub fine-grained token: (hidden)',
			' ✖ the token lacks Webhooks (write)',
			'Enter: plan the install · Esc: back',
		].join('\n'),
	);
	await wizard.press(keys.enter);
	t.deepEqual(done, [
		{
			connection: {host: '203.0.113.10'},
			mode: 'local',
			github: {repo: 'acme/platform', token},
		},
	]);
	wizard.unmount();
});

test('Ctrl-C goes to the interrupt owner; Escape on the first screen stays there', async t => {
	const wizard = start({});
	await wizard.press(keys.escape);
	t.regex(wizard.frame(), /^1\/5 Server address/);
	await wizard.press(keys.ctrlC);
	t.is(wizard.interrupted(), 1);
	wizard.unmount();
});

test('a ~/.ssh/config alias: its port and user are offered when the wizard gets there', async t => {
	const home = homeWithSsh({
		config:
			'Host staging-box\n  HostName 203.0.113.10\n  Port 2222\n  User admin\n',
	});
	const wizard = start({suggest: sshConfigSuggestion(home)});
	await wizard.press('staging-box', keys.enter);
	t.is(wizard.frame(), ['2/5 SSH port', '› 2222'].join('\n'));
	await wizard.press(keys.enter);
	t.is(wizard.frame(), ['3/5 Login user', '› admin'].join('\n'));
	wizard.unmount();
	const plainHost = start({suggest: sshConfigSuggestion(home)});
	await plainHost.press('203.0.113.10', keys.enter);
	t.is(plainHost.frame(), ['2/5 SSH port', '› (Enter to skip)'].join('\n'));
	plainHost.unmount();
});

test('Enter while the token is being checked does not skip the check; the result comes, then Enter goes on', async t => {
	let finish: (() => void) | undefined;
	const wizard = start({
		questions: questions(['preflight', 'host', 'github']),
		checks: {
			'github.token': async () =>
				new Promise(resolve => {
					finish = () => {
						resolve(permissionCheck(report));
					};
				}),
		},
	});
	await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	await wizard.press(keys.enter, keys.enter, 'acme/platform', keys.enter);
	await wizard.press(fakeSecret('github_pat_'), keys.enter, keys.enter);
	t.regex(
		wizard.frame(),
		/^7\/7 GitHub fine-grained token\n[\s\S]*\nchecking…$/,
	);
	finish!();
	await wizard.press();
	t.regex(
		wizard.frame(),
		/✖ Webhooks[\s\S]*Enter: go on · Esc: change the answer$/,
	);
	await wizard.press(keys.enter);
	t.regex(wizard.frame(), /^Review\n/);
	wizard.unmount();
});

test('a pasted answer loses the newline it was copied with', async t => {
	const wizard = start({});
	await wizard.press('203.0.113.10\r\n');
	t.is(
		wizard.frame(),
		['1/5 Server address or ~/.ssh/config alias', '› 203.0.113.10'].join('\n'),
	);
	await wizard.press(keys.enter);
	t.is(wizard.frame(), ['2/5 SSH port', '› (Enter to skip)'].join('\n'));
	await wizard.press('seventy', keys.enter);
	t.regex(wizard.frame(), /✖ must be a whole number from 1 to 65535$/);
	wizard.unmount();
});

test('the header names the version; with no key anywhere the key step says so and takes a path', async t => {
	const wizard = start({version: '1.2.3', keyChoices: []});
	await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	t.is(
		wizard.frame(),
		[
			'codex-k8s-install 1.2.3',
			'4/5 Key to log in with',
			'an ssh-agent key needs no passphrase; a key file’s is asked once, when',
			'connecting',
			'✖ no SSH key found: ssh-agent holds none and ~/.ssh has no key pair',
			'→ Make one with `ssh-keygen -t ed25519` (and put its .pub on the server), or',
			'type the path of the private key you log in with',
			'› (Enter to skip)',
		].join('\n'),
	);
	await wizard.press('~/keys/staging', keys.enter);
	t.regex(wizard.frame(), /5\/5 Runner mode/);
	wizard.unmount();
});

test('at 60 columns every key stays on its own line, cut with an ellipsis', async t => {
	const choice = {
		source: 'file',
		path: '/home/operator/.ssh/id_ed25519_staging_deploy',
		type: 'ssh-ed25519',
		fingerprint: 'SHA256:4vZ0mJd8oX2tq6m1a9bVx0uK2c3dE4fG5hI6jK7lM8n',
		comment: 'operator@laptop',
		encrypted: true,
	} as const;
	const wizard = start({keyChoices: [choice]}, 60);
	await wizard.press('203.0.113.10', keys.enter, keys.enter, keys.enter);
	const lines = wizard.frame().split('\n');
	t.deepEqual(lines.slice(-2), [
		'❯ the usual ones: ssh-agent, ~/.ssh/config, ~/.ssh/id_*',
		'  ssh-ed25519 SHA256:4vZ0mJd8oX2tq6m1a9bVx0uK2c3dE4fG5hI6jK…',
	]);
	t.true(lines.every(line => line.length <= 60));
	wizard.unmount();
});

test('server mode: the runner bounds say what they mean; the review spells out a skipped one and lists the platform secrets the cluster keeps', async t => {
	const given = new Map(
		[
			'connection.host',
			'connection.port',
			'connection.user',
			'connection.identity',
			'github.repo',
			'github.token',
		].map(path => [path, 'environment'] as const),
	);
	const done: unknown[] = [];
	const wizard = start({
		questions: questionsFor(['runner', 'platform'], given),
		secretsKept: () => true,
		onDone(answers) {
			done.push(answers);
		},
	});
	await wizard.press(keys.down, keys.enter);
	await wizard.press('staging.example.com', keys.enter);
	await wizard.press('ops@example.com', keys.enter);
	t.is(
		wizard.frame(),
		[
			'4/7 Runners always waiting for a job (minimum)',
			'0: none waits, so each job first waits for a runner pod to start; 1: one waits',
			'and a job starts at once. Enter: 0',
			'› (Enter to skip)',
		].join('\n'),
	);
	await wizard.press(keys.enter);
	t.is(
		wizard.frame(),
		[
			'5/7 Runners at most at the same time (maximum)',
			'more jobs wait for a free runner; each runner is a pod on the server. Enter: 2',
			'› (Enter to skip)',
		].join('\n'),
	);
	await wizard.press('3', keys.enter);
	await wizard.press('owner@example.com', keys.enter);
	await wizard.press('Iv1.abc', keys.enter);
	t.is(
		wizard.frame(),
		[
			'Review',
			'Runner mode: server',
			'Public domain of staging: staging.example.com',
			'E-mail for Let’s Encrypt: ops@example.com',
			'Runners always waiting for a job (minimum): 0 (default)',
			'Runners at most at the same time (maximum): 3',
			'Owner e-mail of the platform: owner@example.com',
			'GitHub OAuth app client id: Iv1.abc',
			'Kept in the cluster, not asked again (give its variable to replace one):',
			' GitHub OAuth app client secret',
			' Token of the git bot account',
			' OpenAI API key',
			'Enter: plan the install · Esc: back',
		].join('\n'),
	);
	await wizard.press(keys.enter);
	t.deepEqual(done, [
		{
			mode: 'server',
			domain: 'staging.example.com',
			acmeEmail: 'ops@example.com',
			runner: {max: 3},
			platform: {ownerEmail: 'owner@example.com', oauthClientId: 'Iv1.abc'},
		},
	]);
	wizard.unmount();
});
