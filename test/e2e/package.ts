import {execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {basename, join} from 'node:path';
import test from 'ava';
import {builtCliWorks} from '../helpers/built-cli.js';
import {installPacked, packTarball} from '../helpers/packed.js';

test('the packed package runs with npx from an empty directory', t => {
	const packed = packTarball();
	const tarball = basename(packed);
	const empty = mkdtempSync(join(tmpdir(), 'ck8s-empty-'));
	copyFileSync(packed, join(empty, tarball));
	const npx = (...args: string[]) =>
		spawnSync('npx', ['--yes', `./${tarball}`, ...args], {
			cwd: empty,
			encoding: 'utf8',
			env: {
				...process.env,
				npm_config_cache: join(empty, '.npm-cache'),
				npm_config_update_notifier: 'false',
			},
		});
	const result = npx('--help');
	t.is(result.status, 0, `stderr: ${result.stderr}`);
	t.regex(result.stdout, /^codex-k8s-install \d+\.\d+\.\d+\n/);
	t.regex(result.stdout, /^ {2}plan +show what an install would do/m);
	t.regex(result.stdout, /^ {2}\$ npx codex-k8s-install \[command]/m);
	// Run through npx, a hint names the command the way the user can type it.
	const runbook = npx(
		'runbook',
		'--output',
		'-',
		'--host',
		'h',
		'--mode',
		'local',
	);
	t.is(runbook.status, 0, `stderr: ${runbook.stderr}`);
	t.regex(
		runbook.stdout,
		/`npx codex-k8s-install@\d+\.\d+\.\d+\S* resume` continues/,
	);
	const files = execFileSync('tar', ['-tzf', packed], {
		encoding: 'utf8',
	});
	t.regex(files, /^package\/LICENSE$/m);
});

test('the packed package installed with npm install --omit=dev: --help, an offline plan, plan --json and the wizard in a terminal', async t => {
	t.timeout(5 * 60_000);
	const {directory, command} = installPacked(packTarball());
	t.false(
		readdirSync(join(directory, 'node_modules')).includes('ava'),
		'no dev dependency is installed',
	);
	await builtCliWorks(t, command, process.versions.node);
});
