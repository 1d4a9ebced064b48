import {homedir} from 'node:os';
import path from 'node:path';

export type GuestDistribution = 'bookworm' | 'trixie';

export const bridgeName = 'ck8sbr0';
export const subnetPrefix = '10.213.0';
export const bridgeAddress = `${subnetPrefix}.1`;

// Two cores: more guests at once only makes every boot and apt run slower.
export const maxGuests = Number(process.env['CK8S_TEST_MAX_GUESTS'] ?? 2);

export const cacheDirectory = path.join(
	process.env['XDG_CACHE_HOME'] ?? path.join(homedir(), '.cache'),
	'codex-k8s-install-test',
);

// Disk-backed rather than /run: a guest's upper layer can grow by hundreds of MiB (apt installs).
export const runtimeDirectory = '/var/tmp/codex-k8s-install-test';

export const sbinPath =
	'/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function slotNames(slot: number) {
	return {
		address: `${subnetPrefix}.${slot}`,
		netns: `ck8s-g${slot}`,
		hostVeth: `ck8s-v${slot}`,
		cgroup: `ck8s-g${slot}`,
		machine: `ck8s-g${slot}`,
		directory: path.join(runtimeDirectory, 'guests', String(slot)),
	};
}

export type SlotNames = ReturnType<typeof slotNames>;
