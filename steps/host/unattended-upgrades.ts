import type {Step} from '../../source/engine/step.js';
import {changes, fileChange, verifyConverged, sshCommand} from '../kit.js';
import {runHostScript} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {paths} from './paths.js';
import {existing, hostRemoval} from './removal.js';

/**
 * The distribution's own origins (50unattended-upgrades) already include its security archive.
 * No automatic reboot: a reboot in the middle of an install would cut it off; the runbook says
 * how to turn it on afterwards.
 */
export const upgradesConf = [
	'// codex-k8s-install: security updates daily, no automatic reboot.',
	'APT::Periodic::Update-Package-Lists "1";',
	'APT::Periodic::Unattended-Upgrade "1";',
	'Unattended-Upgrade::Automatic-Reboot "false";',
	'',
].join('\n');

const timers = ['apt-daily.timer', 'apt-daily-upgrade.timer'];

function plan(facts: HostFacts): string[] {
	const list = fileChange(facts, paths.upgrades, upgradesConf);
	for (const timer of timers) {
		if (facts.systemd.get(`${timer}:is-enabled`) !== 'enabled') {
			list.push(`enable ${timer}`);
		}
	}

	return list;
}

export const unattendedUpgrades: Step = {
	id: 'host.unattended-upgrades',
	phase: 'host',
	title: 'Unattended security upgrades',
	reach: 'host',
	probes: hostProbeSet,
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'systemctl is-enabled apt-daily-upgrade.timer; sudo unattended-upgrade --dry-run -d | tail -5'`,
		],
		fix: [
			`run install again to rewrite ${paths.upgrades}; logs are in /var/log/unattended-upgrades/`,
		],
	}),
	remove: hostRemoval('upgrades', facts => existing(facts, [paths.upgrades]), {
		keptUnless: 'hardening',
		leaves: () => ['unattended-upgrades with the system’s own settings'],
	}),
	describe: () => [
		'security updates are installed daily by unattended-upgrades',
		'automatic reboots stay off (Unattended-Upgrade::Automatic-Reboot "false") so an install is never cut off; turn them on afterwards if wanted',
	],
	async check(context) {
		const facts = await hostFacts(context);
		return changes(plan(facts), facts.files.get(paths.upgrades) !== undefined);
	},
	async apply(context) {
		await runHostScript(
			context,
			'unattended-upgrades',
			{CONF: upgradesConf.trimEnd()},
			{readFacts: true},
		);
	},
	async verify(context) {
		await verifyConverged(unattendedUpgrades, context);
	},
};
