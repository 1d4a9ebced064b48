import {spawnSync} from 'node:child_process';
import {readdirSync} from 'node:fs';
import {dirname, join, relative} from 'node:path';
import {fileURLToPath} from 'node:url';
import test from 'ava';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const scriptsDirectory = join(root, 'assets', 'scripts');

function scripts(directory: string): string[] {
	return readdirSync(directory, {withFileTypes: true}).flatMap(entry => {
		const path = join(directory, entry.name);
		if (entry.isDirectory()) {
			return scripts(path);
		}

		return entry.name.endsWith('.sh') ? [path] : [];
	});
}

const available =
	spawnSync('shellcheck', ['--version'], {encoding: 'utf8'}).status === 0;
// Under CI the check always runs: a missing shellcheck fails it (.ci/run installs it).
const register = available || process.env['CI'] === 'true' ? test : test.skip;

register(
	`every script under assets/scripts passes shellcheck (warnings fail)${available ? '' : ': shellcheck is not installed (apt-get install shellcheck)'}`,
	t => {
		const files = scripts(scriptsDirectory);
		t.true(files.length > 10, 'the scripts were found');
		const result = spawnSync(
			'shellcheck',
			['--severity=warning', '--shell=bash', '--format=gcc', ...files],
			{encoding: 'utf8', cwd: root},
		);
		t.is(result.error, undefined, 'shellcheck runs');
		const findings = result.stdout
			.split('\n')
			.filter(Boolean)
			.map(line => relative(root, line));
		t.deepEqual(findings, []);
		t.is(result.status, 0, result.stderr);
	},
);
