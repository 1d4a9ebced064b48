import {Buffer} from 'node:buffer';
import type {Input} from '../../source/config/schema.js';
import type {ProbeSet} from '../../source/engine/host.js';
import type {StepContext} from '../../source/engine/step.js';
import type {ProbeResult} from '../../source/remote/types.js';
import {hostOf} from '../kit.js';
import {managedFiles, packageUniverse} from './paths.js';
import {
	hostFirewallProbes,
	type HostFirewalls,
	parseHostFirewalls,
} from './host-firewalls.js';

/** What every host step's `check` reads: gathered in ONE round trip for the whole phase. */
export type HostFacts = {
	os: {id: string; versionId: string; codename: string};
	/** `systemd-detect-virt --container`, or '' on a VM or bare metal. */
	container: string;
	/** Packages in state `installed`. */
	installed: Set<string>;
	/** Managed file contents by path; `undefined` when the file does not exist. */
	files: Map<string, string | undefined>;
	/** `mode owner:group` by path, for the files and directories whose modes matter. */
	modes: Map<string, string>;
	user?: {home: string; shell: string};
	authorizedKeys?: string;
	/** `sshd -T` as key → values (lower-case keys; repeated keys such as `port` collect). */
	sshd?: Map<string, string[]>;
	sshdError?: string;
	/** `systemctl show` of ssh.socket, ssh.service, sshd.service: Id → ActiveState/LoadState. */
	units: Array<{id: string; active: string; load: string}>;
	swaps: string[];
	modules: Set<string>;
	/** Current sysctl values; '-' when the key does not exist here. */
	sysctl: Map<string, string>;
	nftTable?: string;
	/** `is-enabled`/`is-active` answers keyed `unit:query`. */
	systemd: Map<string, string>;
	/** `$SSH_CONNECTION` of this installer's own session: client address, client port, server address, server port. */
	client?: {address: string; serverPort: number};
	/** Firewalls the host had besides ours: ufw, firewalld, other tables' inbound accepts. */
	firewalls: HostFirewalls;
};

const q = (text: string) => `'${text.replaceAll("'", String.raw`'\''`)}'`;

const systemdQueries = [
	'codex-k8s-install-firewall.service:is-enabled',
	'fail2ban.service:is-enabled',
	'fail2ban.service:is-active',
	'apt-daily.timer:is-enabled',
	'apt-daily-upgrade.timer:is-enabled',
];

export const sysctlKeys = [
	'net.ipv4.ip_forward',
	'net.bridge.bridge-nf-call-iptables',
	'net.bridge.bridge-nf-call-ip6tables',
];

/** What every host step's check reads: sent ahead with the other facts when planning. */
export const hostProbeSet = (input: Input): ProbeSet<HostFacts> => ({
	name: 'host',
	snippets: async () => hostProbes(input.operator.user),
	parse: ({results}) => parseHostFacts(results),
});

/** The read-only shell snippets of the phase probe. The user name is schema-validated. */
export function hostProbes(user: string): Record<string, string> {
	const files = managedFiles.map(path => q(path)).join(' ');
	return {
		os: String.raw`. /etc/os-release && printf "%s\n%s\n%s\n" "$ID" "$VERSION_ID" "$VERSION_CODENAME"`,
		container: 'systemd-detect-virt --container 2>/dev/null || true',
		packages: `dpkg-query -W -f='\${Package}\\t\${db:Status-Status}\\n' ${packageUniverse.join(' ')} 2>/dev/null || true`,
		// No command substitution per file: a fork each, and this probe runs before every verify.
		files: String.raw`for f in ${files}; do if [ -f "$f" ]; then printf '%s ' "$f"; base64 -w0 < "$f"; echo; fi; done`,
		user: `getent passwd ${user} | cut -d: -f6,7`,
		authorizedKeys: `h=$(getent passwd ${user} | cut -d: -f6) && [ -n "$h" ] && cat "$h/.ssh/authorized_keys"`,
		modes: `h=$(getent passwd ${user} | cut -d: -f6); stat -c '%n %a %U:%G' ${files} \${h:+"$h" "$h/.ssh" "$h/.ssh/authorized_keys"} 2>/dev/null || true`,
		sshd: 'sshd -T 2>&1',
		units:
			'systemctl show -p Id -p ActiveState -p LoadState ssh.socket ssh.service sshd.service 2>/dev/null || true',
		swaps: 'tail -n +2 /proc/swaps',
		modules:
			'for m in overlay br_netfilter; do [ -d /sys/module/$m ] && echo $m; done; true',
		sysctl: String.raw`for k in ${sysctlKeys.join(' ')}; do printf '%s=%s\n' $k "$(sysctl -n $k 2>/dev/null || echo -)"; done`,
		nft: 'nft list table inet codex_k8s_install 2>/dev/null',
		// `is-enabled` per unit, not `systemctl show`'s UnitFileState: that is the manager's cached
		// answer, stale after an `enable --no-reload` (and is-enabled stops at a unit that is missing).
		systemd: `for q in ${systemdQueries.join(' ')}; do printf '%s=%s\\n' "$q" "$(systemctl "\${q#*:}" "\${q%:*}" 2>/dev/null || true)"; done`,
		// Through sudo the variable is gone: read it from the nearest ancestor that has it.
		...hostFirewallProbes,
		client: String.raw`p=$$; while [ "$p" -gt 1 ]; do v=$(tr "\0" "\n" < /proc/$p/environ 2>/dev/null | sed -n "s/^SSH_CONNECTION=//p"); if [ -n "$v" ]; then echo "$v"; exit 0; fi; p=$(cut -d" " -f4 < /proc/$p/stat); done`,
	};
}

const lines = (text = '') =>
	text
		.split('\n')
		.map(line => line.trimEnd())
		.filter(Boolean);

const ok = (result?: ProbeResult) =>
	result?.code === 0 ? result.output : undefined;

function parseFiles(output?: string) {
	const files = new Map<string, string | undefined>(
		managedFiles.map(path => [path, undefined]),
	);
	for (const line of lines(output)) {
		const [path = '', encoded = ''] = line.split(' ');
		files.set(path, Buffer.from(encoded, 'base64').toString('utf8'));
	}

	return files;
}

function parseModes(output?: string) {
	const modes = new Map<string, string>();
	for (const line of lines(output)) {
		const match = /^(.+) (\d+) (\S+)$/.exec(line);
		if (match) {
			modes.set(match[1]!, `${match[2]!} ${match[3]!}`);
		}
	}

	return modes;
}

function parseSshd(result?: ProbeResult) {
	if (result?.code !== 0) {
		return undefined;
	}

	const sshd = new Map<string, string[]>();
	for (const line of lines(result.output)) {
		const [key = '', ...rest] = line.split(' ');
		sshd.set(key, [...(sshd.get(key) ?? []), rest.join(' ')]);
	}

	return sshd;
}

function parseUnits(output = '') {
	return output
		.split(/\n\s*\n/)
		.map(block => {
			const value = (name: string) =>
				new RegExp(`^${name}=(.*)$`, 'm').exec(block)?.[1] ?? '';
			return {
				id: value('Id'),
				active: value('ActiveState'),
				load: value('LoadState'),
			};
		})
		.filter(unit => unit.id);
}

const pairs = (text?: string) =>
	new Map(
		lines(text).map(line => {
			const at = line.indexOf('=');
			return [line.slice(0, at), line.slice(at + 1)] as const;
		}),
	);

function parseClient(output?: string): HostFacts['client'] {
	const fields = (output ?? '').trim().split(' ');
	const address = fields[0];
	const serverPort = Number(fields[3]);
	return address && serverPort ? {address, serverPort} : undefined;
}

const parseInstalled = (output?: string) =>
	new Set(
		lines(output)
			.map(line => line.split('\t'))
			.filter(([, status]) => status === 'installed')
			.map(([name]) => name!),
	);

function parseUser(output?: string): HostFacts['user'] {
	const [home, shell = ''] = output?.trim().split(':') ?? [];
	return home ? {home, shell} : undefined;
}

export function parseHostFacts(
	results: Record<string, ProbeResult>,
): HostFacts {
	const [id = '', versionId = '', codename = ''] = (
		results['os']?.output ?? ''
	).split('\n');
	const sshd = parseSshd(results['sshd']);
	return {
		os: {id, versionId, codename},
		container: (results['container']?.output ?? '').trim(),
		installed: parseInstalled(results['packages']?.output),
		files: parseFiles(results['files']?.output),
		modes: parseModes(results['modes']?.output),
		user: parseUser(ok(results['user'])),
		authorizedKeys: ok(results['authorizedKeys']),
		sshd,
		sshdError: sshd ? undefined : results['sshd']?.output.trim(),
		units: parseUnits(results['units']?.output),
		swaps: lines(results['swaps']?.output),
		modules: new Set(lines(results['modules']?.output)),
		sysctl: pairs(results['sysctl']?.output),
		nftTable: ok(results['nft']),
		systemd: pairs(results['systemd']?.output),
		client: parseClient(ok(results['client'])),
		firewalls: parseHostFirewalls(results),
	};
}

/** The phase probe, read once through the host's facts reader until a step changes the host. */
export async function hostFacts(context: StepContext): Promise<HostFacts> {
	return hostOf(context).facts.read(
		hostProbeSet(context.input),
		context.signal,
	);
}
