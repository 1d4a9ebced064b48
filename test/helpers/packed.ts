import {execFileSync} from 'node:child_process';
import {mkdtempSync, readdirSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {type CliCommand, ensureBuilt, root} from './cli.js';

/** `npm pack` of this checkout: the tarball's path. */
export function packTarball(): string {
	ensureBuilt();
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-pack-'));
	// --ignore-scripts: the bundle is already built, and rebuilding would pull dist/ from under
	// the other end-to-end tests running beside this one.
	execFileSync(
		'npm',
		['pack', '--ignore-scripts', '--silent', '--pack-destination', directory],
		{cwd: root, stdio: 'ignore'},
	);
	const tarball = readdirSync(directory).find(name => name.endsWith('.tgz'));
	if (!tarball) {
		throw new Error('npm pack made no tarball');
	}

	return join(directory, tarball);
}

/**
 * The packed package installed the way `npx` installs it: into an empty directory, its
 * dependencies from the registry, no dev dependencies. The command is its own `bin`, run by the
 * machine's `node` through its shebang.
 */
export function installPacked(tarball = packTarball()): {
	directory: string;
	command: CliCommand;
} {
	const directory = mkdtempSync(join(tmpdir(), 'ck8s-installed-'));
	execFileSync(
		'npm',
		[
			'install',
			'--omit=dev',
			'--no-audit',
			'--no-fund',
			'--loglevel=error',
			tarball,
		],
		{
			cwd: directory,
			stdio: ['ignore', 'ignore', 'inherit'],
			env: {...process.env, npm_config_update_notifier: 'false'},
		},
	);
	return {
		directory,
		command: [join(directory, 'node_modules', '.bin', 'codex-k8s-install')],
	};
}
