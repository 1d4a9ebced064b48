// The playbook's file contents, from the installer's own renderers: both sides write the same bytes.
import {inputSchema} from '../../source/config/schema.js';
import {aptProxyConf} from '../../steps/host/base-packages.js';
import {renderJail} from '../../steps/host/fail2ban.js';
import type {HostFacts} from '../../steps/host/facts.js';
import {
	firewallUnit,
	renderRulesFile,
	tablePorts,
} from '../../steps/host/firewall-rules.js';
import {sudoersLine} from '../../steps/host/operator-user.js';
import {basePackages, journalPackages, paths} from '../../steps/host/paths.js';
import {sshDropIn} from '../../steps/host/ssh-hardening.js';
import {modulesConf, sysctlConf} from '../../steps/host/system-settings.js';
import {upgradesConf} from '../../steps/host/unattended-upgrades.js';

export type PlaybookTarget = {
	/** The public key line the operator logs in with (the installer's is the identity's `.pub`). */
	operatorKey: string;
	/** The laptop's address as the guest sees it: fail2ban never bans it. */
	clientAddress: string;
	aptProxy?: string;
};

/** `--extra-vars` for bench/ansible/host.yml, for a Debian 12+ guest on SSH port 22 in local mode. */
export function playbookVars(target: PlaybookTarget) {
	const input = inputSchema.parse({
		connection: {host: '192.0.2.1'},
		mode: 'local',
		proxy: target.aptProxy ? {http: target.aptProxy} : {},
	});
	const facts = {
		os: {id: 'debian', versionId: '12', codename: 'bookworm'},
		files: new Map(),
		client: {address: target.clientAddress, serverPort: 22},
		sshd: new Map([['port', ['22']]]),
	} as unknown as HostFacts;
	// The host scripts write each text trimmed, plus one newline.
	const file = (text: string) => `${text.trimEnd()}\n`;
	return {
		operator_user: input.operator.user,
		operator_key: target.operatorKey.trim(),
		packages: [...basePackages, ...journalPackages],
		apt_proxy_conf: file(aptProxyConf(input.proxy) ?? ''),
		paths,
		firewall_rules: file(renderRulesFile(tablePorts(input, [22]))),
		firewall_unit: file(firewallUnit),
		modules_conf: file(modulesConf),
		sysctl_conf: file(sysctlConf),
		sudoers: file(sudoersLine(input.operator.user)),
		ssh_drop_in: file(sshDropIn()),
		fail2ban_jail: file(renderJail(facts)),
		upgrades_conf: file(upgradesConf),
	};
}
