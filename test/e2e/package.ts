import {execFileSync, spawnSync} from 'node:child_process';
import {copyFileSync, mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import test from 'ava';
import {ensureBuilt, root} from '../helpers/cli.js';

test('the packed package runs with npx from an empty directory', t => {
	ensureBuilt();
	const packDirectory = mkdtempSync(join(tmpdir(), 'ck8s-pack-'));
	// --ignore-scripts: the bundle is already built, and rebuilding would pull dist/ from under
	// the other end-to-end tests running beside this one.
	execFileSync(
		'npm',
		[
			'pack',
			'--ignore-scripts',
			'--silent',
			'--pack-destination',
			packDirectory,
		],
		{cwd: root, stdio: 'ignore'},
	);
	const tarball = readdirSync(packDirectory).find(name =>
		name.endsWith('.tgz'),
	);
	t.truthy(tarball, 'npm pack made a tarball');
	const empty = mkdtempSync(join(tmpdir(), 'ck8s-empty-'));
	copyFileSync(join(packDirectory, tarball!), join(empty, tarball!));
	const npx = (...args: string[]) =>
		spawnSync('npx', ['--yes', `./${tarball!}`, ...args], {
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
	const hint = npx('status');
	t.is(hint.status, 1);
	t.regex(
		hint.stderr,
		/`npx codex-k8s-install plan` shows what this version does/,
	);
	const files = execFileSync('tar', ['-tzf', join(packDirectory, tarball!)], {
		encoding: 'utf8',
	});
	t.regex(files, /^package\/LICENSE$/m);
});
