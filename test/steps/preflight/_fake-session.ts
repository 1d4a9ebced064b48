import type {
	Privilege,
	ProbeResult,
	RemoteSession,
} from '../../../source/remote/types.js';

/*
 * Probe outputs captured from a real bookworm guest (see test/steps/preflight/facts.ts for the same
 * snippets run live). Tests override single keys to model other hosts.
 */
export const bookwormOutputs: Record<string, string> = {
	os: [
		'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"',
		'NAME="Debian GNU/Linux"',
		'VERSION_ID="12"',
		'VERSION="12 (bookworm)"',
		'VERSION_CODENAME=bookworm',
		'ID=debian',
		'HOME_URL="https://www.debian.org/"',
		'',
	].join('\n'),
	arch: 'x86_64\namd64\n',
	container: 'systemd-nspawn\n',
	cloudInit: 'absent\n',
	locks: '',
	disk: [
		'Filesystem     1024-blocks      Used Available Capacity Mounted on',
		'overlay          61202244  31000000  27065264      54% /',
		'overlay          61202244  31000000  27065264      54% /',
		'',
	].join('\n'),
	memory:
		'MemTotal:        8132504 kB\nMemFree:         1234567 kB\nMemAvailable:    6000000 kB\n',
	clock: 'CLOCK\nNTP=no\nNTPSynchronized=no\n',
	network: [
		'--- route',
		'Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT',
		'host0\t00000000\t0100D50A\t0003\t0\t0\t0\t00000000\t0\t0\t0',
		'host0\t0000D50A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0',
		'--- route6',
		'00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200       lo',
		'--- resolv',
		'nameserver 10.213.0.1',
		'--- apt',
		'Acquire::http::Proxy "http://10.213.0.1:3142";',
		'--- environment',
		'',
	].join('\n'),
};

export type FakeSession = RemoteSession & {probes: string[][]};

/**
 * A session whose `probe` answers from canned outputs. `outputs` may be a function, called on
 * every probe, to model a host that changes while the installer waits. `CLOCK` in the clock
 * output becomes the current time plus `skewSeconds`.
 */
export function fakeSession(
	outputs:
		Record<string, string> | ((call: number) => Record<string, string>) = {},
	options: {privilege?: Privilege; user?: string; skewSeconds?: number} = {},
): FakeSession {
	const probes: string[][] = [];
	const unsupported = async () => {
		throw new Error('not used by preflight checks');
	};

	return {
		probes,
		target: {
			alias: 'fake',
			hostname: 'fake',
			port: 22,
			user: options.user ?? 'root',
			identityFiles: [],
			identitiesOnly: false,
		},
		hostKeyFingerprint: 'SHA256:fake',
		privilege: options.privilege ?? 'root',
		get roundTrips() {
			return probes.length;
		},
		exec: unsupported,
		runScript: unsupported,
		upload: unsupported,
		uploadFile: unsupported,
		openChannel: unsupported,
		async probe(snippets) {
			const keys = Object.keys(snippets);
			probes.push(keys);
			const current = {
				...bookwormOutputs,
				...(typeof outputs === 'function' ? outputs(probes.length) : outputs),
			};
			const now = Date.now() / 1000 + (options.skewSeconds ?? 0);
			const results: Record<string, ProbeResult> = {};
			for (const key of keys) {
				results[key] = {
					code: 0,
					output: (current[key] ?? '').replace('CLOCK', now.toFixed(3)),
				};
			}

			return results;
		},
		async close() {},
	};
}
