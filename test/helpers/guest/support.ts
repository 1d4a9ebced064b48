import {existsSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {sbinPath} from './constants.js';
import {cgroupSupport} from './cgroup.js';
import {rootfsRecipe} from './rootfs.js';

export type GuestSupport = {ok: true} | {ok: false; reason: string};

function hasCommand(name: string): boolean {
	const directories = `${process.env['PATH'] ?? ''}:${sbinPath}`
		.split(':')
		.filter(Boolean);
	return directories.some(directory => existsSync(path.join(directory, name)));
}

function check(): string | undefined {
	if (process.platform !== 'linux') {
		return `needs Linux, this is ${process.platform}`;
	}

	if (process.getuid?.() !== 0) {
		return 'needs root (network namespaces, overlay mounts, systemd-nspawn)';
	}

	let recipe;
	try {
		recipe = rootfsRecipe('bookworm');
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}

	const tools = [
		'systemd-nspawn',
		'nsenter',
		'ip',
		'ssh-keygen',
		'tar',
		'mount',
		'flock',
	];
	if (!existsSync(recipe.tarball)) {
		tools.push('debootstrap');
	}

	const missing = tools.filter(tool => !hasCommand(tool));
	if (missing.length > 0) {
		return `missing ${missing.join(', ')} (apt-get install --no-install-recommends debootstrap systemd-container iproute2 openssh-client)`;
	}

	if (
		!readFileSync('/proc/filesystems', 'utf8').includes('overlay') &&
		!existsSync('/sys/module/overlay')
	) {
		return 'the kernel has no overlay filesystem';
	}

	return cgroupSupport();
}

let cached: GuestSupport | undefined;

/** Whether real Linux guests can run here, and if not, why. */
export function guestSupport(): GuestSupport {
	if (!cached) {
		const reason = check();
		cached = reason === undefined ? {ok: true} : {ok: false, reason};
	}

	return cached;
}

/**
 * Why guest tests should be skipped, or undefined when they must run. Under CI they always run, so
 * a harness that cannot start fails loudly instead of silently testing nothing.
 */
export function guestSkipReason(): string | undefined {
	if (process.env['CI'] === 'true') {
		return undefined;
	}

	const support = guestSupport();
	return support.ok ? undefined : support.reason;
}
