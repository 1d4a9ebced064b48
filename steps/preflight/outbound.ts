import type {Step} from '../../source/engine/step.js';
import {hostOf, sshCommand} from '../kit.js';
import {preflightFacts} from './facts.js';

// Hints only: probing the internet from here would make the installer (and its tests) depend on it.
export const outbound: Step = {
	id: 'preflight.outbound',
	phase: 'preflight',
	title: 'Outbound network (hints)',
	reach: 'host',
	probes: () => preflightFacts,
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'ip route show default; resolvectl status | head -20; curl -sSI https://get.k3s.io | head -1'`,
		],
		fix: [
			'without a default route or name servers nothing can be downloaded: fix the network of the server, or give proxy.http/proxy.https (CODEXK8S_HTTP_PROXY)',
		],
	}),
	describe: () => [
		"note the host's default route, name servers and proxy settings (nothing outside is contacted)",
	],
	async check(context) {
		const {network} = await hostOf(context).facts.read(
			preflightFacts,
			context.signal,
		);
		const {ipv4, ipv6} = network.defaultRoute;
		const notes: string[] = [];
		if (ipv4.length + ipv6.length === 0) {
			notes.push(
				'no default route: downloads need a proxy (CODEXK8S_HTTP_PROXY) or local artifacts',
			);
		} else {
			notes.push(
				`default route via ${[...ipv4, ...ipv6.map(device => `${device} (IPv6)`)].join(', ')}`,
			);
		}

		notes.push(
			network.nameservers.length > 0
				? `name servers ${network.nameservers.join(', ')}`
				: 'no name servers in /etc/resolv.conf',
		);
		if (network.aptProxies.length > 0) {
			notes.push(`apt proxy: ${network.aptProxies.join(' ')}`);
		}

		if (network.environmentProxies.length > 0) {
			notes.push(
				`/etc/environment sets ${network.environmentProxies.map(line => line.split('=')[0]).join(', ')}`,
			);
		}

		return {kind: 'done', note: notes.join('; ')};
	},
};
