import {createHash} from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	readFileSync,
	renameSync,
	rmSync,
	symlinkSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import {cacheDirectory, type GuestDistribution} from './constants.js';
import {withLock} from './lock.js';
import {runOk} from './process.js';
import {
	debianMirror,
	hostDebianSources,
	renderGuestSources,
} from './sources.js';

const packages = [
	'openssh-server',
	'systemd',
	'systemd-sysv',
	'dbus',
	'sudo',
	'iproute2',
	'ca-certificates',
	'libpam-systemd',
];

export const defaultHostname = 'ck8s-guest';

// Bump when the customisation below changes, so stale cached root filesystems are not reused.
const recipeVersion = 1;

export function rootfsRecipe(distribution: GuestDistribution) {
	const sources = hostDebianSources();
	const mirror = debianMirror(sources);
	if (!mirror) {
		throw new Error(
			'No Debian archive found in /etc/apt/sources.list{,.d}; cannot build a guest root filesystem',
		);
	}

	const guestSources = renderGuestSources(sources, distribution);
	const recipe = {
		recipeVersion,
		distribution,
		variant: 'minbase',
		packages,
		mirror,
		guestSources,
	};
	const key = createHash('sha256')
		.update(JSON.stringify(recipe))
		.digest('hex')
		.slice(0, 16);
	const base = path.join(cacheDirectory, `rootfs-${distribution}-${key}`);
	return {
		...recipe,
		key,
		tarball: `${base}.tar`,
		extracted: `${base}.d`,
		lock: `${base}.lock`,
	};
}

export type RootfsRecipe = ReturnType<typeof rootfsRecipe>;

function customise(root: string, recipe: RootfsRecipe): void {
	// Sudo and sshd stall on name lookups when the hostname does not resolve locally.
	writeFileSync(path.join(root, 'etc/hostname'), `${defaultHostname}\n`);
	writeFileSync(path.join(root, 'etc/hosts'), hostsFile(defaultHostname));
	rmSync(path.join(root, 'etc/apt/sources.list'), {force: true});
	writeFileSync(
		path.join(root, 'etc/apt/sources.list.d/debian.sources'),
		recipe.guestSources,
	);
	// Mirrors may be dated snapshots whose Release files are past their Valid-Until.
	writeFileSync(
		path.join(root, 'etc/apt/apt.conf.d/90ck8s-test-harness'),
		'Acquire::Check-Valid-Until "false";\n',
	);
	// No terminal is attached to the guest console; a getty there would only respawn.
	symlinkSync(
		'/dev/null',
		path.join(root, 'etc/systemd/system/console-getty.service'),
	);
	mkdirSync(path.join(root, 'root/.ssh'), {recursive: true, mode: 0o700});
	rmSync(path.join(root, 'etc/machine-id'), {force: true});
	writeFileSync(path.join(root, 'etc/machine-id'), '');
}

export function hostsFile(hostname: string): string {
	return `127.0.0.1\tlocalhost\n127.0.1.1\t${hostname}\n::1\tlocalhost ip6-localhost ip6-loopback\n`;
}

const tarOptions = [
	'--numeric-owner',
	'--xattrs',
	'--xattrs-include=*',
	'--acls',
];

async function build(recipe: RootfsRecipe): Promise<void> {
	const work = `${recipe.extracted}.build-${process.pid}`;
	rmSync(work, {recursive: true, force: true});
	try {
		await runOk(
			'debootstrap',
			[
				`--variant=${recipe.variant}`,
				`--include=${recipe.packages.join(',')}`,
				recipe.distribution,
				work,
				recipe.mirror,
			],
			{timeoutMs: 15 * 60_000},
		).catch((error: unknown) => {
			const log = path.join(work, 'debootstrap/debootstrap.log');
			const tail = existsSync(log)
				? readFileSync(log, 'utf8').split('\n').slice(-20).join('\n')
				: '';
			throw new Error(`debootstrap failed: ${String(error)}\n${tail}`);
		});
		customise(work, recipe);
		await runOk('tar', [
			...tarOptions,
			'-C',
			work,
			'-cf',
			`${recipe.tarball}.partial`,
			'.',
		]);
		renameSync(`${recipe.tarball}.partial`, recipe.tarball);
	} finally {
		rmSync(work, {recursive: true, force: true});
		rmSync(`${recipe.tarball}.partial`, {force: true});
	}
}

async function extract(recipe: RootfsRecipe): Promise<void> {
	const work = `${recipe.extracted}.partial`;
	rmSync(work, {recursive: true, force: true});
	mkdirSync(work, {mode: 0o755});
	await runOk('tar', [...tarOptions, '-C', work, '-xf', recipe.tarball]);
	renameSync(work, recipe.extracted);
}

/**
 * The read-only lower layer for guest overlays: built once with debootstrap and cached as a
 * tarball keyed by the recipe; the extracted copy next to it is derived from that tarball.
 */
export async function ensureRootfs(
	distribution: GuestDistribution,
): Promise<string> {
	const recipe = rootfsRecipe(distribution);
	if (existsSync(recipe.extracted)) {
		return recipe.extracted;
	}

	mkdirSync(cacheDirectory, {recursive: true, mode: 0o700});
	await withLock(recipe.lock, async () => {
		if (!existsSync(recipe.tarball)) {
			await build(recipe);
		}

		if (!existsSync(recipe.extracted)) {
			await extract(recipe);
		}
	});
	return recipe.extracted;
}
