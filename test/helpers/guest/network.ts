import {existsSync} from 'node:fs';
import path from 'node:path';
import {
	bridgeAddress,
	bridgeName,
	runtimeDirectory,
	type SlotNames,
} from './constants.js';
import {type HeldLock, withLock} from './lock.js';
import {run, runOk, runSync, sleepSync} from './process.js';
import {withNoSlotHeld} from './slot.js';

const bridgeLock = path.join(runtimeDirectory, 'bridge.lock');

/**
 * The bridge every guest hangs on, made by the first guest. Called with a slot held, so that
 * `releaseSlotRemovingIdleBridge` cannot take it away underneath.
 */
export async function ensureBridge(): Promise<void> {
	await withLock(bridgeLock, async () => {
		const existing = await run('ip', ['link', 'show', 'dev', bridgeName]);
		if (existing.code !== 0) {
			await runOk('ip', ['link', 'add', 'name', bridgeName, 'type', 'bridge']);
		}

		const addresses = await runOk('ip', [
			'-4',
			'-o',
			'addr',
			'show',
			'dev',
			bridgeName,
		]);
		if (!addresses.includes(` ${bridgeAddress}/`)) {
			await runOk('ip', [
				'addr',
				'add',
				`${bridgeAddress}/24`,
				'dev',
				bridgeName,
			]);
		}

		await runOk('ip', ['link', 'set', 'dev', bridgeName, 'up']);
	});
}

/**
 * Gives the slot back and, if that was the last guest on this machine (no slot held by any test
 * run), removes the bridge and its address and route: 10.213.0.0/24 would otherwise shadow any
 * other network there. Both happen under the bridge lock, so that whoever sees no slot held under
 * that lock also sees the bridge already gone.
 */
export async function releaseSlotRemovingIdleBridge(
	slot: HeldLock,
): Promise<void> {
	await withLock(bridgeLock, async () => {
		await slot.release();
		await withNoSlotHeld(() => {
			runSync('ip', ['link', 'del', 'dev', bridgeName]);
		});
	});
}

/** Runs `judge` when no guest is up anywhere on this machine; false when some guest is. */
export async function whenNoGuestIsUp(judge: () => void): Promise<boolean> {
	return withLock(bridgeLock, async () => withNoSlotHeld(judge));
}

export async function createGuestNetwork(names: SlotNames): Promise<void> {
	destroyGuestNetwork(names);
	await runOk('ip', ['netns', 'add', names.netns]);
	await runOk('ip', [
		'link',
		'add',
		names.hostVeth,
		'type',
		'veth',
		'peer',
		'name',
		'eth0',
		'netns',
		names.netns,
	]);
	await runOk('ip', [
		'link',
		'set',
		'dev',
		names.hostVeth,
		'master',
		bridgeName,
		'up',
	]);
	const inside = ['-n', names.netns];
	await runOk('ip', [
		...inside,
		'addr',
		'add',
		`${names.address}/24`,
		'dev',
		'eth0',
	]);
	await runOk('ip', [...inside, 'link', 'set', 'dev', 'eth0', 'up']);
	await runOk('ip', [...inside, 'link', 'set', 'dev', 'lo', 'up']);
	// A previous guest on this address had another MAC; do not wait for the stale entry to expire.
	await run('ip', ['neigh', 'flush', 'to', names.address, 'dev', bridgeName]);
}

export async function setGuestLink(
	names: SlotNames,
	state: 'up' | 'down',
): Promise<void> {
	await runOk('ip', ['link', 'set', 'dev', names.hostVeth, state]);
}

/** Idempotent; synchronous so that it also works from a process `exit` hook. */
export function destroyGuestNetwork(names: SlotNames): void {
	runSync('ip', ['link', 'del', 'dev', names.hostVeth]);
	runSync('ip', ['netns', 'del', names.netns]);
	// `ip netns del` returns before the namespace file is gone; reusing the name too early fails.
	const file = `/run/netns/${names.netns}`;
	for (let attempt = 0; attempt < 100 && existsSync(file); attempt++) {
		sleepSync(50);
	}

	if (existsSync(file)) {
		throw new Error(`network namespace ${names.netns} did not go away`);
	}
}
