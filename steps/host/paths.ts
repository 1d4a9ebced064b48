/**
 * Where the installer keeps its own state on the host: proofs, and the undo scripts of lib.sh's
 * dead man's switch.
 */
export const stateDirectory = '/var/lib/codex-k8s-install';

/**
 * Files the host phase owns (or, for fstab, edits), read by the phase probe. Each is spelled only
 * here: the scripts get theirs as values.
 */
export const paths = {
	aptProxy: '/etc/apt/apt.conf.d/80codex-k8s-install-proxy',
	modules: '/etc/modules-load.d/codex-k8s-install.conf',
	sysctl: '/etc/sysctl.d/90-codex-k8s-install.conf',
	fstab: '/etc/fstab',
	sudoers: '/etc/sudoers.d/90-codex-k8s-install',
	sshDropIn: '/etc/ssh/sshd_config.d/00-codex-k8s-install.conf',
	// Written only after a second login proved the drop-in: a drop-in without it was never proven.
	sshProven: `${stateDirectory}/sshd-drop-in.proven`,
	firewallRules: '/etc/codex-k8s-install/firewall.nft',
	// Written only after a new login came through the table.
	firewallProven: `${stateDirectory}/firewall.proven`,
	firewallUnit: '/etc/systemd/system/codex-k8s-install-firewall.service',
	// `.local` in jail.d is read after every `.conf`, so Debian's defaults-debian.conf cannot override it.
	fail2banJail: '/etc/fail2ban/jail.d/codex-k8s-install.local',
	// Last in apt.conf.d order: a `20auto-upgrades` set to "0" by an image does not win.
	upgrades: '/etc/apt/apt.conf.d/99codex-k8s-install-upgrades',
} as const;

export const managedFiles: readonly string[] = Object.values(paths);

/** The pinned base list; python3-systemd is added where fail2ban reads the journal. */
export const basePackages = [
	'curl',
	'ca-certificates',
	'jq',
	'tar',
	'unzip',
	'nftables',
	'fail2ban',
	'unattended-upgrades',
	'apt-transport-https',
	'gnupg',
] as const;

export const journalPackages = ['python3-systemd'] as const;

export const packageUniverse: readonly string[] = [
	...basePackages,
	...journalPackages,
];
