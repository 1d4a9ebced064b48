import type {Input} from '../../source/config/schema.js';
import {nftPortRange, systemdPath} from '../../source/encode/index.js';
import {keptPorts} from './host-firewalls.js';
import {paths} from './paths.js';

/** The installer's own nftables table: its rules, the file they load from, and the unit. */

export const firewallTable = 'codex_k8s_install';

/**
 * TCP ports open from outside: SSH, and the web ports in server mode once the cluster phase
 * publishes them (Traefik through ServiceLB): never before anything there can answer on them.
 */
export function openPorts(
	input: Input,
	ssh: number[],
	published = false,
): number[] {
	const ports = new Set(ssh);
	if (input.mode === 'server' && published) {
		ports.add(80);
		ports.add(443);
	}

	return [...ports].toSorted((a, b) => a - b);
}

/** What the table accepts by port: ours, and what the operator keeps open for another firewall. */
export type OpenPorts = {tcp: string[]; udp: string[]};

/** A port inside another item is left out: nft refuses overlapping elements in one set. */
function tidy(ports: readonly string[]): string[] {
	const range = (spec: string) =>
		spec.split('-').map(Number) as [number, number?];
	const unique = [...new Set(ports)];
	return unique
		.filter(spec => {
			const [first, last = first] = range(spec);
			return !unique.some(other => {
				const [low, high = low] = range(other);
				return other !== spec && low <= first && last <= high;
			});
		})
		.toSorted((a, b) => range(a)[0] - range(b)[0]);
}

export function tablePorts(
	input: Input,
	ssh: number[],
	published = false,
): OpenPorts {
	const kept = keptPorts(input.firewallKeepPorts);
	return {
		tcp: tidy([...openPorts(input, ssh, published).map(String), ...kept.tcp]),
		udp: tidy(kept.udp),
	};
}

/** `8080` or `{ 22, 6000-6007 }`, each element through the nft encoder. */
function nftSet(ports: readonly string[]): string {
	const words = ports.map(spec => nftPortRange(spec));
	return words.length === 1 ? words[0]! : `{ ${words.join(', ')} }`;
}

/**
 * Our table only, in the form `nft list table` prints it. It filters inbound packets and
 * nothing else, so k3s's own tables and chains are never touched. Protocols are numbers because
 * minimal images lack /etc/protocols.
 */
export function renderTable(ports: OpenPorts): string {
	return [
		`table inet ${firewallTable} {`,
		'\tchain input {',
		'\t\ttype filter hook input priority filter - 5; policy drop;',
		'\t\tct state established,related accept',
		'\t\tiif "lo" accept',
		'\t\tip protocol 1 accept',
		'\t\tmeta l4proto 58 accept',
		'\t\tudp sport 67 udp dport 68 accept',
		'\t\tudp sport 547 udp dport 546 accept',
		'\t\tiifname { "cni0", "flannel.1" } accept',
		`\t\ttcp dport ${nftSet(ports.tcp)} accept`,
		...(ports.udp.length > 0
			? [`\t\tudp dport ${nftSet(ports.udp)} accept`]
			: []),
		'\t}',
		'}',
		'',
	].join('\n');
}

/** The rules file's line that says the cluster phase published the web ports: the host keeps them. */
export const publishedMarker =
	'# 80 and 443 published by the cluster phase (cluster.public-ports).';

/** The file the unit loads: creates the table if absent, deletes it, defines it — atomically. */
export function renderRulesFile(ports: OpenPorts, published = false): string {
	return [
		'#!/usr/sbin/nft -f',
		`# codex-k8s-install: replaces only table inet ${firewallTable}; never flush ruleset (k3s's rules live beside it).`,
		...(published ? [publishedMarker] : []),
		`table inet ${firewallTable}`,
		`delete table inet ${firewallTable}`,
		renderTable(ports),
	].join('\n');
}

export const firewallUnit = `[Unit]
Description=codex-k8s-install firewall (nftables table inet ${firewallTable} only)
DefaultDependencies=no
Before=network-pre.target shutdown.target
Wants=network-pre.target
Conflicts=shutdown.target

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=/usr/sbin/nft -f ${systemdPath(paths.firewallRules)}
ExecStop=/usr/sbin/nft delete table inet ${firewallTable}

[Install]
WantedBy=sysinit.target
`;

/** Spacing and protocol names differ between nft builds; compare what they mean. */
export function normalizeTable(text: string): string {
	return text
		.split('\n')
		.map(line =>
			line
				.trim()
				.replaceAll(/\s+/g, ' ')
				.replace(/^ip protocol icmp /, 'ip protocol 1 ')
				.replace(/^meta l4proto (ipv6-icmp|icmpv6) /, 'meta l4proto 58 '),
		)
		.filter(Boolean)
		.join('\n');
}
