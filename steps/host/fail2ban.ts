import type {Step} from '../../source/engine/step.js';
import {changes, fileChange, verifyConverged, sshCommand} from '../kit.js';
import {runHostScript, sshPorts, usesJournal} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {paths} from './paths.js';
import {existing, hostRemoval} from './removal.js';

const loopback = ['127.0.0.1/8', '::1'];

/** Addresses never banned: loopback, those already listed, and the installer's own address. */
export function ignoredAddresses(facts: HostFacts): string[] {
	const current = facts.files.get(paths.fail2banJail) ?? '';
	const listed =
		/^ignoreip\s*=\s*(.*)$/m.exec(current)?.[1]?.split(/\s+/).filter(Boolean) ??
		[];
	const extra = new Set(listed.filter(address => !loopback.includes(address)));
	if (facts.client) {
		extra.add(facts.client.address);
	}

	return [...loopback, ...[...extra].toSorted()];
}

export function renderJail(facts: HostFacts): string {
	return [
		'# codex-k8s-install. A .local file in jail.d is read after every .conf there.',
		'[DEFAULT]',
		// Bans go to fail2ban's own nftables table; iptables is not installed.
		'banaction = nftables-multiport',
		'banaction_allports = nftables-allports',
		'',
		'[sshd]',
		'enabled = true',
		`port = ${sshPorts(facts).join(',')}`,
		// Debian 12+ and Ubuntu 24.04 log sshd only to the journal (no auth.log by default).
		`backend = ${usesJournal(facts.os) ? 'systemd' : 'auto'}`,
		`ignoreip = ${ignoredAddresses(facts).join(' ')}`,
		'',
	].join('\n');
}

function plan(facts: HostFacts) {
	const list = fileChange(facts, paths.fail2banJail, renderJail(facts));
	if (facts.systemd.get('fail2ban.service:is-enabled') !== 'enabled') {
		list.push('enable fail2ban');
	}

	if (facts.systemd.get('fail2ban.service:is-active') !== 'active') {
		list.push('start fail2ban');
	} else if (list.length > 0) {
		list.push('restart fail2ban');
	}

	return list;
}

export const fail2ban: Step = {
	id: 'host.fail2ban',
	phase: 'host',
	title: 'fail2ban for SSH',
	reach: 'host',
	probes: hostProbeSet,
	runbook: input => ({
		check: [`${sshCommand(input)} 'sudo fail2ban-client status sshd'`],
		fix: [
			'unban an address: sudo fail2ban-client set sshd unbanip ADDRESS',
			`sudo systemctl restart fail2ban after editing ${paths.fail2banJail}; or run install again`,
		],
	}),
	remove: hostRemoval(
		'fail2ban',
		facts => existing(facts, [paths.fail2banJail]),
		{
			keptUnless: 'hardening',
			leaves: () => ['the fail2ban package with its own default jail'],
		},
	),
	describe: () => [
		'fail2ban bans addresses that keep failing SSH logins (sshd jail, journal backend where sshd logs only there)',
		"the installer's own address is never banned (ignoreip)",
	],
	async check(context) {
		const facts = await hostFacts(context);
		return changes(
			plan(facts),
			facts.files.get(paths.fail2banJail) !== undefined,
		);
	},
	async apply(context) {
		const facts = await hostFacts(context);
		await runHostScript(
			context,
			'fail2ban',
			{JAIL: renderJail(facts).trimEnd()},
			{readFacts: true},
		);
	},
	async verify(context) {
		await verifyConverged(fail2ban, context);
	},
};
