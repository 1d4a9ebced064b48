import {readdirSync, readFileSync} from 'node:fs';
import {join} from 'node:path';
import test from 'ava';
import {inputSchema, type Input} from '../../source/config/schema.js';
import {
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

const render = (mode: 'local' | 'server') =>
	renderRunbook(allSteps, inputs[mode], {
		target: 'root@203.0.113.10:22',
		version: '0.0.0-test',
		program: 'codex-k8s-install',
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
