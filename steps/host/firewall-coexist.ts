import {
	describePorts,
	droppedPorts,
	firewallNames,
	type HostFirewalls,
} from './host-firewalls.js';

/** DHCP replies our table always accepts. */
const alwaysUdp = ['68', '546'];

export type Coexistence =
	| {kind: 'blocked'; problem: string; hint: string}
	| {kind: 'ok'; notes: string[]};

/**
 * Our table drops what another firewall allows unless the operator keeps it open: that is never
 * done silently. A port the other firewall allows is either kept (listed in firewallKeepPorts) or
 * the run stops until the operator decides.
 */
export function besideOtherFirewalls(
	firewalls: HostFirewalls,
	open: {tcp: readonly string[]; udp: readonly string[]},
): Coexistence {
	const names = firewallNames(firewalls);
	if (names.length === 0) {
		return {kind: 'ok', notes: []};
	}

	const who = names.join(' and ');
	const dropped = droppedPorts(firewalls, {
		tcp: open.tcp,
		udp: [...alwaysUdp, ...open.udp],
	});
	if (dropped.length > 0) {
		const list = describePorts(dropped);
		const owners = [...new Set(dropped.map(({owner}) => owner))].join(' and ');
		return {
			kind: 'blocked',
			problem: `${owners} allows ${list}, which the installer's firewall would drop (${owners} would still show ${dropped.length > 1 ? 'them' : 'it'} as allowed)`,
			hint: [
				'Decide, then run again:',
				`keep ${dropped.length > 1 ? 'them' : 'it'} open with CODEXK8S_FIREWALL_KEEP_PORTS=${dropped.map(({port, protocol}) => `${port}/${protocol}`).join(',')} (firewallKeepPorts in the config file);`,
				`or remove ${dropped.length > 1 ? 'those rules' : 'that rule'} from ${owners};`,
				`or leave the firewall to ${owners} with CODEXK8S_FIREWALL_ENABLED=false (firewall: false).`,
			].join(' '),
		};
	}

	const kept = firewalls.allowed.filter(
		({port, protocol}) => !(protocol === 'udp' && alwaysUdp.includes(port)),
	);
	return {
		kind: 'ok',
		notes: [
			`${who} stays in place beside the table: a packet must pass both`,
			...(kept.length > 0
				? [`the ports ${who} allows stay open: ${describePorts(kept)}`]
				: []),
		],
	};
}
