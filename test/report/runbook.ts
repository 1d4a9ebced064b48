import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {inputSchema, type Input} from '../../source/config/schema.js';
import {commands} from '../../source/commands/index.js';
import {runbookProgram} from '../../source/commands/invoked-as.js';
import {
	asRunBy,
	recoveryTitles,
	renderRunbook,
	runbookSectionNames,
	stepSectionTitle,
} from '../../source/report/runbook.js';
import {allSteps} from '../../steps/index.js';
import {root} from '../helpers/cli.js';

const inputs: Record<'local' | 'server', Input> = {
	local: inputSchema.parse({
		connection: {host: '203.0.113.10', port: 2222},
		operator: {user: 'ops'},
		github: {repo: 'acme/platform'},
		mode: 'local',
		runner: {namespace: 'runners-x', scaleSetName: 'acme-staging'},
	}),
	server: inputSchema.parse({
		connection: {host: '203.0.113.10'},
		github: {repo: 'acme/platform'},
		mode: 'server',
		domain: 'staging.example.com',
		acmeEmail: 'ops@example.com',
		platform: {namespace: 'acme-staging'},
	}),
};

const render = (mode: 'local' | 'server', program = 'codex-k8s-install') =>
	renderRunbook(allSteps, inputs[mode], {
		target: 'root@203.0.113.10:22',
		version: '0.0.0-test',
		program,
		commands: Object.keys(commands),
	});

const headings = (text: string) =>
	new Set([...text.matchAll(/^#{1,3} (.+)$/gm)].map(match => match[1]!.trim()));

test('every step of the registry writes its own runbook lines (new steps must add theirs)', t => {
	const missing = allSteps.filter(step => !step.runbook).map(step => step.id);
	t.deepEqual(
		missing,
		[],
		'add `runbook: input => ({check, fix})` to these steps (docs/contributing.md)',
	);
	for (const mode of ['local', 'server'] as const) {
		for (const step of allSteps) {
			const entry = step.runbook!(inputs[mode]);
			t.true(entry.check.length > 0, `${step.id}: check by hand`);
			t.true(entry.fix.length > 0, `${step.id}: fix or redo`);
		}
	}
});

for (const mode of ['local', 'server'] as const) {
	test(`the ${mode} runbook has a section for every registry step and every recovery topic`, t => {
		const text = render(mode);
		const found = headings(text);
		for (const step of allSteps) {
			t.true(found.has(stepSectionTitle(step)), `section of ${step.id}`);
		}

		for (const title of Object.values(recoveryTitles)) {
			t.true(found.has(title), `recovery section ${title}`);
		}

		t.regex(text, /^## How to resume$/m);
		t.notRegex(text, /undefined|\[object Object]/);
	});
}

test('the runbook speaks of this installation: its host, port, operator, mode and names', t => {
	const local = render('local');
	t.regex(local, /^# Runbook: codex-k8s staging on 203\.0\.113\.10$/m);
	t.regex(local, /ssh -p 2222 ops@203\.0\.113\.10/);
	t.regex(local, /runners-x/);
	t.regex(local, /acme-staging/);
	t.regex(local, /Local mode serves no public certificate/);
	t.regex(
		local,
		/### github\.webhook: Repository webhook\n\n_Does not apply/,
		'a step that does not apply in local mode says so',
	);
	const server = render('server');
	t.regex(server, /ssh codex@203\.0\.113\.10/);
	t.regex(server, /describe certificate codex-k8s-staging-tls/);
	t.regex(server, /-n acme-staging/);
	t.regex(server, /dig \+short A staging\.example\.com/);
});

test('an npx user’s runbook runs the version that wrote it; an installed program is named bare', t => {
	t.is(
		runbookProgram('npx codex-k8s-install', '1.2.0'),
		'npx codex-k8s-install@1.2.0',
	);
	t.is(runbookProgram('codex-k8s-install', '1.2.0'), 'codex-k8s-install');
	const bare = render('server');
	const npx = render('server', 'npx codex-k8s-install@1.2.0');
	// Every command line of the bare runbook has its twin in the npx one, and no bare one is left.
	const commandLine = new RegExp(
		String.raw`(?<![\w./@-])codex-k8s-install (?:${Object.keys(commands).join('|')})\b`,
		'g',
	);
	const bareCount = [...bare.matchAll(commandLine)].length;
	t.true(bareCount > 20, `${bareCount} command lines`);
	t.is([...npx.matchAll(commandLine)].length, 0, 'no bare command left');
	t.is(
		npx.split('npx codex-k8s-install@1.2.0 ').length - 1,
		bareCount,
		'each one written the npx way',
	);
	for (const line of [
		'- npx codex-k8s-install@1.2.0 install --only cluster',
		'`npx codex-k8s-install@1.2.0 resume` continues',
		'- see "Stuck runners" below; npx codex-k8s-install@1.2.0 install --only runner',
		'npx codex-k8s-install@1.2.0 doctor --token-stdin < new-token.txt',
	]) {
		t.true(npx.includes(line), `has: ${line}`);
	}

	// What names the program without running a command stays.
	t.regex(npx, /written by codex-k8s-install 0\.0\.0-test/);
	t.regex(npx, /--search 'codex-k8s-install in:title'/);
	const run = asRunBy('npx codex-k8s-install@1.2.0', ['install', 'status']);
	t.is(
		run(
			'codex-k8s-install installer; x/codex-k8s-install status; codex-k8s-install status',
		),
		'codex-k8s-install installer; x/codex-k8s-install status; npx codex-k8s-install@1.2.0 status',
	);
});

/** Every `runbookSection` named in the code, as written there (a literal or a `runbook` constant). */
function namedSections(): string[] {
	const files = (directory: string): string[] =>
		readdirSync(join(root, directory), {withFileTypes: true}).flatMap(entry =>
			entry.isDirectory()
				? files(`${directory}/${entry.name}`)
				: /\.tsx?$/.test(entry.name)
					? [`${directory}/${entry.name}`]
					: [],
		);
	return [...files('source'), ...files('steps')].flatMap(file =>
		[
			...readFileSync(join(root, file), 'utf8').matchAll(
				/(?:runbookSection:|const runbook(?:Section)? =)\s*'([^']+)'/g,
			),
		].map(match => match[1]!),
	);
}

test('every runbook section an error or check names is a heading of the runbook', t => {
	const names = new Set(runbookSectionNames(allSteps));
	const named = namedSections();
	t.true(named.length > 0);
	for (const name of named) {
		t.true(names.has(name), `no runbook section "${name}"`);
	}
});
