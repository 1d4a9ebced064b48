import {mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import type {ExecutionContext} from 'ava';
import {type CliCommand, root, runCli} from './cli.js';
import {installArgs, laptopFor, reportOf, runToEnd} from './drill.js';
import type {Guest} from './guest/index.js';
import {makeKeyPair} from './keys.js';
import {fakeSecret} from './secrets.js';
import {startInTerminal} from './terminal.js';

const example = (name: string) => join(root, 'docs', 'examples', name);

/** --help, an offline plan, plan --json and the wizard in a pseudo-terminal, on `command`'s Node. */
export async function builtCliWorks(
	t: ExecutionContext,
	command: CliCommand,
	version: string,
): Promise<void> {
	const help = runCli(['--help'], {command});
	t.is(help.code, 0, help.stderr);
	t.regex(help.stdout, /^ {2}plan +show what an install would do/m);

	const plan = runCli(['plan', '--config', example('local.yaml')], {command});
	t.is(plan.code, 0, plan.stderr);
	t.regex(
		plan.stdout,
		new RegExp(
			String.raw`^preflight {2}preflight\.node-version +already done {2}Node\.js ${version.replaceAll('.', String.raw`\.`)}$`,
			'm',
		),
	);

	const json = runCli(['plan', '--json', '--config', example('server.yaml')], {
		command,
		env: {
			CODEXK8S_GITHUB_TOKEN: fakeSecret('github_pat_'),
			CODEXK8S_GITHUB_OAUTH_CLIENT_SECRET: fakeSecret('oauth-'),
			CODEXK8S_GIT_BOT_TOKEN: fakeSecret('github_pat_'),
			CODEXK8S_OPENAI_API_KEY: fakeSecret('sk-'),
			CODEXK8S_SSH_IDENTITY: makeKeyPair().path,
		},
	});
	t.is(json.code, 0, json.stderr);
	const document = JSON.parse(json.stdout) as {
		command: string;
		steps: Array<{id: string; status: string}>;
	};
	t.is(document.command, 'plan');
	t.true(document.steps.some(step => step.id === 'host.firewall'));

	const terminal = startInTerminal(['install'], {
		home: mkdtempSync(join(tmpdir(), 'ck8s-node-tty-')),
		command,
	});
	try {
		await terminal.waitFor(/1\/\d+ Server address or ~\/\.ssh\/config alias/);
		await terminal.type(...'203.0.113.10', '\r');
		await terminal.waitFor(/2\/\d+ SSH port/);
		await terminal.type('\u001B');
		await terminal.waitFor(/1\/\d+ Server address/);
		await terminal.type('\u0003');
		t.is(await terminal.exitCode, 130, terminal.screen().slice(-1500));
	} finally {
		terminal.child.kill();
	}
}

/**
 * `install --only host` on a real guest through `command`: the first run hardens it, a re-run
 * changes nothing in 3 round trips.
 */
export async function guestInstallWorks(
	t: ExecutionContext,
	guest: Guest,
	command: CliCommand,
): Promise<void> {
	const laptop = {...laptopFor(guest), command};
	const first = await runToEnd(installArgs(guest), laptop);
	t.is(first.code, 0, first.stderr);
	const firstReport = reportOf(first);
	t.true(firstReport.changes >= 6, `changes: ${firstReport.changes}`);
	const sshd = await guest.exec('sshd -T | grep -i "^passwordauthentication"');
	t.is(sshd.stdout.trim(), 'passwordauthentication no');
	const again = reportOf(await runToEnd(installArgs(guest), laptop));
	t.true(again.ok);
	t.is(again.changes, 0);
	t.is(again.roundTrips, 3);
}
