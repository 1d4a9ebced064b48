import type {ProbeResult} from '../../source/remote/types.js';

/**
 * A firewall the host had before the installer: its table would sit beside ours, and since a
 * packet must pass every input chain, ours would drop what the other one allows, silently.
 */
export type HostFirewalls = {
	ufw?: {active: boolean; forwardPolicy?: string};
	firewalld: boolean;
	/** Inbound accepts of other tables and chains, as `port/protocol` with who holds them. */
	allowed: AllowedPort[];
};

export type AllowedPort = {
	port: string;
	protocol: 'tcp' | 'udp';
	owner: string;
};

/** The read-only snippets, part of the host phase's one probe round trip. */
export const hostFirewallProbes: Record<string, string> = {
	ufw: 'command -v ufw >/dev/null || exit 0; ufw status | head -n 1; sed -n "s/^DEFAULT_FORWARD_POLICY=//p" /etc/default/ufw 2>/dev/null',
	firewalld: 'systemctl is-active firewalld 2>/dev/null || true',
	ruleset: 'nft list ruleset 2>/dev/null || true',
	// The nft backend's rules are in the ruleset above; these add the legacy backend's and the
	// matches nft prints only as xt (multiport).
	iptables:
		'for c in iptables-save ip6tables-save iptables-legacy-save ip6tables-legacy-save; do command -v $c >/dev/null && $c 2>/dev/null; done; true',
};

const ownTable = 'codex_k8s_install';

// The chains of k3s and the CNI accept pod and service traffic, not ports the operator opened; ufw's
// before/after chains hold its built-in rules (DHCP, mDNS), its users' rules are in ufw-user-input.
const notInbound =
	/^(kube-|flannel|cni-|ufw6?-before|ufw6?-after)|output|forward|postrouting|prerouting/iv;

function ownerOf(table: string, chain: string): string {
	if (/^ufw/iv.test(chain)) {
		return 'ufw';
	}

	return table.endsWith(' firewalld') ? 'firewalld' : `nftables ${table}`;
}

const portSpecs = (spec: string) =>
	spec
		.replaceAll(/[\{\}]/gv, '')
		.split(/[\s,]+/v)
		.map(item => item.replace(':', '-'))
		.filter(item => /^\d+(-\d+)?$/v.test(item));

function protocols(word: string): Array<'tcp' | 'udp'> {
	if (word === 'tcp' || word === 'udp') {
		return [word];
	}

	return ['tcp', 'udp'];
}

/** `tcp dport 8080 … accept` in input chains of tables other than ours. */
export function nftAllowed(ruleset: string): AllowedPort[] {
	const allowed: AllowedPort[] = [];
	let table = '';
	let chain = '';
	let skipChain = false;
	for (const raw of ruleset.split('\n')) {
		const line = raw.trim();
		const tableMatch = /^table (\S+ \S+) \{/v.exec(line);
		if (tableMatch) {
			table = tableMatch[1]!;
			continue;
		}

		const chainMatch = /^chain (\S+) \{/v.exec(line);
		if (chainMatch) {
			chain = chainMatch[1]!;
			skipChain = notInbound.test(chain);
			continue;
		}

		if (/\bhook (output|forward|prerouting|postrouting)\b/v.test(line)) {
			skipChain = true;
		}

		const rule = /\b(tcp|udp|th) dport (\{[^\}]*\}|\S+).*\baccept\b/v.exec(
			line,
		);
		if (!rule || skipChain || table.endsWith(` ${ownTable}`)) {
			continue;
		}

		for (const port of portSpecs(rule[2]!)) {
			for (const protocol of protocols(rule[1]!)) {
				allowed.push({port, protocol, owner: ownerOf(table, chain)});
			}
		}
	}

	return allowed;
}

/** `-A INPUT -p tcp … --dport 8080 … -j ACCEPT` from iptables-save. */
export function iptablesAllowed(saved: string): AllowedPort[] {
	const allowed: AllowedPort[] = [];
	for (const line of saved.split('\n')) {
		const rule =
			/^-A (\S+) .*-p (tcp|udp) .*--dports? (\S+).* -j ACCEPT\b/v.exec(line);
		if (rule && !notInbound.test(rule[1]!)) {
			for (const port of portSpecs(rule[3]!)) {
				allowed.push({
					port,
					protocol: rule[2] as 'tcp' | 'udp',
					owner: ownerOf('', rule[1]!).replace('nftables ', 'iptables'),
				});
			}
		}
	}

	return allowed;
}

export function parseHostFirewalls(
	results: Record<string, ProbeResult | undefined>,
): HostFirewalls {
	const [status = '', forwardPolicy] = (results['ufw']?.output ?? '')
		.trim()
		.split('\n');
	const seen = new Set<string>();
	const allowed = [
		...nftAllowed(results['ruleset']?.output ?? ''),
		...iptablesAllowed(results['iptables']?.output ?? ''),
	].filter(({port, protocol}) => {
		const key = `${port}/${protocol}`;
		return !seen.has(key) && seen.add(key);
	});
	return {
		ufw: status.startsWith('Status:')
			? {
					active: status.includes('active') && !status.includes('inactive'),
					forwardPolicy: forwardPolicy?.replaceAll('"', '').trim(),
				}
			: undefined,
		firewalld: results['firewalld']?.output.trim() === 'active',
		allowed,
	};
}

const portRange = (spec: string) => {
	const [first = 0, last = first] = spec.split('-').map(Number);
	return {first, last};
};

/** Whether `spec` (a port or range) lies inside one of the `open` ports or ranges. */
function covered(spec: string, open: readonly string[]): boolean {
	const wanted = portRange(spec);
	return open.some(item => {
		const have = portRange(item);
		return have.first <= wanted.first && wanted.last <= have.last;
	});
}

/** `8080/tcp` and `8080` (both protocols) as ports per protocol. */
export function keptPorts(keep: readonly string[]): {
	tcp: string[];
	udp: string[];
} {
	const result = {tcp: [] as string[], udp: [] as string[]};
	for (const item of keep) {
		const [port = '', protocol] = item.split('/');
		for (const which of protocol
			? [protocol as 'tcp' | 'udp']
			: protocols('')) {
			if (!result[which].includes(port)) {
				result[which].push(port);
			}
		}
	}

	return result;
}

/** What the other firewall allows that our table, with these open ports, would drop. */
export function droppedPorts(
	firewalls: HostFirewalls,
	open: {tcp: readonly string[]; udp: readonly string[]},
): AllowedPort[] {
	return firewalls.allowed.filter(
		({port, protocol}) => !covered(port, open[protocol]),
	);
}

/** `ufw`, `firewalld`, `nftables table inet filter`: who allows ports besides us. */
export function firewallNames(firewalls: HostFirewalls): string[] {
	const names = new Set(firewalls.allowed.map(({owner}) => owner));
	if (firewalls.ufw?.active) {
		names.add('ufw');
	}

	if (firewalls.firewalld) {
		names.add('firewalld');
	}

	return [...names].toSorted();
}

export const describePorts = (ports: readonly AllowedPort[]) =>
	ports.map(({port, protocol}) => `${port}/${protocol}`).join(', ');
