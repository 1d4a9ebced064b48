import {
	type CloudInit,
	type DiskSpace,
	type LockHolder,
	type Network,
	type OsRelease,
	type TimeSync,
	parseArch,
	parseCloudInit,
	parseClock,
	parseContainer,
	parseDisk,
	parseLockHolders,
	parseMemory,
	parseNetwork,
	parseOsRelease,
} from '../../source/remote/facts-parse.js';
import type {ProbeSet} from '../../source/engine/host.js';
import {readScript} from '../../source/assets.js';
import type {
	Privilege,
	ProbeResult,
	RemoteSession,
} from '../../source/remote/types.js';

export type * from '../../source/remote/facts-parse.js';

/** Everything the preflight steps need to know about the host, read in one round trip. */
export type Facts = {
	os: OsRelease;
	arch: {machine: string; dpkg: string};
	privilege: Privilege;
	user: string;
	/** `systemd-detect-virt --container`, when in one (lxc, docker, systemd-nspawn …). */
	container?: string;
	cloudInit: CloudInit;
	lockHolders: LockHolder[];
	disk: {root: DiskSpace; variable: DiskSpace};
	memory: {totalBytes: number; availableBytes: number};
	/** Host clock minus this computer's clock, seconds; accurate to half a round trip. */
	clockSkewSeconds: number;
	timeSync: TimeSync;
	network: Network;
};

// Every snippet is read-only and must not fail the batch: errors become empty output.
const cloudInitSnippet = [
	'if command -v cloud-init >/dev/null 2>&1; then cloud-init status 2>/dev/null || true; else echo absent; fi',
	'echo "system: $(systemctl is-system-running 2>/dev/null || true)"',
].join('\n');
let locksScript: string | undefined;
const locksSnippet = async () => {
	locksScript ??= await readScript('preflight-locks.sh');
	return `(\n${locksScript}\n)`;
};

const snippets = async () => ({
	os: 'cat /etc/os-release 2>/dev/null || cat /usr/lib/os-release',
	arch: 'uname -m; dpkg --print-architecture 2>/dev/null || true',
	container: 'systemd-detect-virt --container 2>/dev/null || true',
	cloudInit: cloudInitSnippet,
	locks: await locksSnippet(),
	disk: 'df -Pk / /var 2>/dev/null',
	memory: 'cat /proc/meminfo',
	clock:
		'date +%s.%N; timedatectl show -p NTP -p NTPSynchronized 2>/dev/null || true',
	network: [
		'echo "--- route"; cat /proc/net/route 2>/dev/null || true',
		'echo "--- route6"; cat /proc/net/ipv6_route 2>/dev/null || true',
		'echo "--- resolv"; cat /etc/resolv.conf 2>/dev/null || true',
		'echo "--- apt"; apt-config dump 2>/dev/null | grep -i "::proxy" || true',
		'echo "--- environment"; grep -i "_proxy=" /etc/environment 2>/dev/null || true',
	].join('\n'),
});

function outputOf(
	results: Record<string, ProbeResult>,
	key: string,
	expectZero = false,
): string {
	const result = results[key];
	if (!result) {
		throw new Error(`the host probe returned no "${key}" result`);
	}

	if (expectZero && result.code !== 0) {
		throw new Error(
			`the host probe "${key}" failed (exit ${result.code}): ${result.output.trim()}`,
		);
	}

	return result.output;
}

/**
 * Every preflight fact, read in a single round trip (sent ahead with the other steps' facts when
 * planning) and shared by the preflight steps through the host's facts reader.
 */
export const preflightFacts: ProbeSet<Facts> = {
	name: 'preflight',
	// As root: lock holders need it.
	snippets,
	parse({results, before, after}, session) {
		const clock = parseClock(outputOf(results, 'clock', true));
		return {
			os: parseOsRelease(outputOf(results, 'os', true)),
			arch: parseArch(outputOf(results, 'arch', true)),
			privilege: session.privilege,
			user: session.target.user,
			container: parseContainer(outputOf(results, 'container')),
			cloudInit: parseCloudInit(outputOf(results, 'cloudInit')),
			lockHolders: parseLockHolders(outputOf(results, 'locks')),
			disk: parseDisk(outputOf(results, 'disk')),
			memory: parseMemory(outputOf(results, 'memory', true)),
			clockSkewSeconds: clock.remoteSeconds - (before + after) / 2000,
			timeSync: clock.timeSync,
			network: parseNetwork(outputOf(results, 'network')),
		};
	},
};

export type FirstBootState = {cloudInit: CloudInit; lockHolders: LockHolder[]};

/** Only what the first-boot gate polls while it waits: cheap, one round trip. */
export async function readFirstBootState(
	session: RemoteSession,
	signal?: AbortSignal,
): Promise<FirstBootState> {
	const results = await session.probe(
		{cloudInit: cloudInitSnippet, locks: await locksSnippet()},
		{root: true, signal},
	);
	return {
		cloudInit: parseCloudInit(outputOf(results, 'cloudInit')),
		lockHolders: parseLockHolders(outputOf(results, 'locks')),
	};
}
