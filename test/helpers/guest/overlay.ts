import {randomBytes} from 'node:crypto';
import {
	chmodSync,
	existsSync,
	mkdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type {SlotNames} from './constants.js';
import {fingerprint, regenerateHostKeys} from './keys.js';
import {runOk, runSync} from './process.js';
import {hostsFile} from './rootfs.js';

export type GuestRootOptions = {
	lower: string;
	hostname: string;
	authorizedKey: string;
	aptProxyUrl: string;
	regenerateHostKeys: boolean;
};

export function mergedDirectory(names: SlotNames): string {
	return path.join(names.directory, 'merged');
}

/**
 * Clones the cached root filesystem for one guest: an overlay whose upper layer takes every
 * change the guest makes, so throwing the guest away is an unmount and a delete.
 * Returns the SHA256 fingerprint of the guest's ed25519 host key.
 */
export async function prepareGuestRoot(
	names: SlotNames,
	options: GuestRootOptions,
): Promise<string> {
	const upper = path.join(names.directory, 'upper');
	const work = path.join(names.directory, 'work');
	const merged = mergedDirectory(names);
	for (const directory of [upper, work, merged]) {
		mkdirSync(directory, {recursive: true, mode: 0o755});
	}

	await runOk('mount', [
		'-t',
		'overlay',
		'overlay',
		'-o',
		`lowerdir=${options.lower},upperdir=${upper},workdir=${work}`,
		merged,
	]);

	const file = (relative: string, content: string, mode = 0o644) => {
		writeFileSync(path.join(merged, relative), content);
		chmodSync(path.join(merged, relative), mode);
	};

	file('etc/hostname', `${options.hostname}\n`);
	// Not the host's resolver: guests may contact nothing but the harness (and loopback).
	file(
		'etc/resolv.conf',
		'# no DNS in test guests; apt goes through the harness proxy\n',
	);
	file('etc/hosts', hostsFile(options.hostname));
	// Clones share one root filesystem; journald and D-Bus expect distinct machine IDs.
	file('etc/machine-id', `${randomBytes(16).toString('hex')}\n`, 0o444);
	mkdirSync(path.join(merged, 'root/.ssh'), {recursive: true, mode: 0o700});
	file('root/.ssh/authorized_keys', `${options.authorizedKey}\n`, 0o600);
	file(
		'etc/apt/apt.conf.d/91ck8s-test-proxy',
		`Acquire::http::Proxy "${options.aptProxyUrl}";\nAcquire::https::Proxy "${options.aptProxyUrl}";\n`,
	);
	if (options.regenerateHostKeys) {
		await regenerateHostKeys(merged, options.hostname);
	}

	return fingerprint(
		readFileSync(path.join(merged, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8'),
	);
}

function isMounted(directory: string): boolean {
	return readFileSync('/proc/self/mounts', 'utf8')
		.split('\n')
		.some(line => line.split(' ')[1] === directory);
}

/** Idempotent and synchronous: also runs from a process `exit` hook. */
export function destroyGuestRoot(names: SlotNames): void {
	const merged = mergedDirectory(names);
	if (isMounted(merged) && runSync('umount', [merged]).code !== 0) {
		runSync('umount', ['--lazy', merged]);
	}

	if (isMounted(merged)) {
		throw new Error(`could not unmount ${merged}`);
	}

	if (existsSync(names.directory)) {
		rmSync(names.directory, {recursive: true, force: true});
	}
}

export function guestRootMounted(names: SlotNames): boolean {
	return isMounted(mergedDirectory(names));
}
