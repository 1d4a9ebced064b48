import {rmSync} from 'node:fs';
import {ensureRootfs, defaultHostname} from './rootfs.js';
import {
	type GuestDistribution,
	slotNames,
	type SlotNames,
} from './constants.js';
import {generateRootKey} from './keys.js';
import {destroySlot, type ExecOptions, startMachine} from './machine.js';
import {
	createGuestNetwork,
	ensureBridge,
	releaseSlotRemovingIdleBridge,
	setGuestLink,
} from './network.js';
import {mergedDirectory, prepareGuestRoot} from './overlay.js';
import type {RunResult} from './process.js';
import {releaseAptProxy, acquireAptProxy} from './proxy-pool.js';
import {acquireSlot, reclaimIdleSlots, type Slot} from './slot.js';
import {guestWait} from './slot-wait.js';
import {guestSupport} from './support.js';

export type GuestOptions = {
	distribution?: GuestDistribution;
	/** Hostname inside the guest; defaults to `ck8s-guest-N`. */
	name?: string;
	/** Give this guest its own SSH host keys instead of the ones every clone shares. */
	regenerateHostKeys?: boolean;
	bootTimeoutMs?: number;
};

export type Guest = {
	readonly name: string;
	readonly distribution: GuestDistribution;
	readonly address: string;
	readonly port: number;
	readonly rootKeyPath: string;
	readonly rootPublicKey: string;
	/** `SHA256:…` of the guest's ed25519 host key, as OpenSSH prints it. */
	readonly hostKeyFingerprint: string;
	readonly aptProxyUrl: string;
	/** Host-side view of the guest's root filesystem (the overlay mount); prefer `exec`. */
	readonly rootDir: string;
	readonly netns: string;
	/** Runs `sh -c command` as root inside the guest, without SSH. Never throws on a non-zero exit. */
	exec(command: string, options?: ExecOptions): Promise<RunResult>;
	stopSshd(): Promise<void>;
	startSshd(): Promise<void>;
	/** Takes the guest's link down: packets to and from it are dropped, connections time out. */
	cutNetwork(): Promise<void>;
	restoreNetwork(): Promise<void>;
	/** Reboots the guest from inside and waits until it is ready again. */
	reboot(): Promise<void>;
};

export type RunningGuest = Guest & {destroy(): Promise<void>};

const live = new Map<number, () => void>();

function destroyAllSync(): void {
	for (const destroy of live.values()) {
		try {
			destroy();
		} catch {
			// Best effort while exiting: the next run's slot cleanup removes whatever is left.
		}
	}
}

let exitHookInstalled = false;
let reclaimed: Promise<void> | undefined;

// Guests are outside this process (netns, mounts, cgroups): they outlive it unless removed here.
function installExitHook(): void {
	if (exitHookInstalled) {
		return;
	}

	exitHookInstalled = true;
	process.on('exit', destroyAllSync);
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			destroyAllSync();
			process.kill(process.pid, signal);
		});
	}
}

async function checked(
	result: Promise<RunResult>,
	what: string,
): Promise<void> {
	const {code, stderr} = await result;
	if (code !== 0) {
		throw new Error(`${what} failed (${code}): ${stderr.trim()}`);
	}
}

export async function startGuest(
	options: GuestOptions = {},
): Promise<RunningGuest> {
	const support = guestSupport();
	if (!support.ok) {
		throw new Error(`Cannot start a real Linux test guest: ${support.reason}`);
	}

	const distribution = options.distribution ?? 'bookworm';
	if (
		options.name !== undefined &&
		!/^[a-z\d][a-z\d\-]{0,62}$/v.test(options.name)
	) {
		throw new Error(
			`invalid guest name "${options.name}": use a lowercase hostname`,
		);
	}

	const bootTimeoutMs = options.bootTimeoutMs ?? 60_000;
	guestWait.started();
	let lower: string;
	let slot: Slot;
	try {
		// Before taking a slot: a cold root filesystem build takes a minute and needs no slot.
		lower = await ensureRootfs(distribution);
		reclaimed ??= reclaimIdleSlots(number => {
			destroySlot(slotNames(number));
		});
		await reclaimed;
		// Waits as long as other guests make progress (slot.ts); the bridge is made under the slot.
		slot = await acquireSlot();
	} finally {
		guestWait.ended();
	}

	installExitHook();
	const names: SlotNames = slotNames(slot.number);
	const name = options.name ?? `${defaultHostname}-${slot.number}`;
	let keyDirectory: string | undefined;
	let proxyHeld = false;
	const destroySync = () => {
		live.delete(slot.number);
		destroySlot(names);
		if (keyDirectory) {
			rmSync(keyDirectory, {recursive: true, force: true});
		}
	};

	live.set(slot.number, destroySync);
	const destroy = async () => {
		try {
			destroySync();
		} finally {
			if (proxyHeld) {
				proxyHeld = false;
				await releaseAptProxy();
			}

			await releaseSlotRemovingIdleBridge(slot.lock);
		}
	};

	try {
		// A test worker killed earlier may have left this slot's guest behind.
		destroySlot(names);
		await ensureBridge();
		await createGuestNetwork(names);
		const proxy = await acquireAptProxy();
		proxyHeld = true;
		const key = await generateRootKey(`ck8s-test-harness@${name}`);
		keyDirectory = key.directory;
		const hostKeyFingerprint = await prepareGuestRoot(names, {
			lower,
			hostname: name,
			authorizedKey: key.publicKey,
			aptProxyUrl: proxy.url,
			regenerateHostKeys: options.regenerateHostKeys ?? false,
		});
		const machine = startMachine(names);
		await machine.waitReady(bootTimeoutMs);
		return {
			name,
			distribution,
			address: names.address,
			port: 22,
			rootKeyPath: key.privateKeyPath,
			rootPublicKey: key.publicKey,
			hostKeyFingerprint,
			aptProxyUrl: proxy.url,
			rootDir: mergedDirectory(names),
			netns: names.netns,
			exec: machine.exec,
			stopSshd: async () =>
				checked(
					machine.exec('systemctl stop ssh.socket ssh.service'),
					'stopping sshd',
				),
			startSshd: async () =>
				checked(machine.exec('systemctl start ssh.service'), 'starting sshd'),
			cutNetwork: async () => setGuestLink(names, 'down'),
			restoreNetwork: async () => setGuestLink(names, 'up'),
			reboot: async () => machine.reboot(bootTimeoutMs),
			destroy,
		};
	} catch (error) {
		await destroy();
		throw error;
	}
}

/** Boots a guest, runs `callback` with it, and always destroys it afterwards. */
export async function withGuest<T>(
	options: GuestOptions,
	callback: (guest: Guest) => Promise<T>,
): Promise<T> {
	const guest = await startGuest(options);
	try {
		return await callback(guest);
	} finally {
		await guest.destroy();
	}
}
