import type {Finding, Step} from '../../source/engine/step.js';
import {fileChange, verifyConverged, sshCommand} from '../kit.js';
import {runHostScript} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {paths} from './paths.js';
import {existing, hostRemoval} from './removal.js';

export const modulesConf = 'overlay\nbr_netfilter\n';

export const sysctlConf = [
	'net.ipv4.ip_forward = 1',
	'net.bridge.bridge-nf-call-iptables = 1',
	'net.bridge.bridge-nf-call-ip6tables = 1',
	'',
].join('\n');

/** Forwarded packets meet ufw's routed policy only once forwarding is on. */
function routedNote(facts: HostFacts): string[] {
	const {ufw} = facts.firewalls;
	if (!ufw?.active || facts.sysctl.get('net.ipv4.ip_forward') === '1') {
		return [];
	}

	return [
		`ufw's routed policy (${ufw.forwardPolicy ?? 'DROP'}) starts to apply with IP forwarding on: forwarded traffic (pods, services) passes only what ufw routes (\`ufw status verbose\` shows it; \`ufw default allow routed\` lets it through)`,
	];
}

const swapLine = /^[^#\s]+\s+\S+\s+swap\s/m;

export const containerNote =
	'skipped in container: swap, kernel modules and bridge netfilter sysctls belong to the host kernel; the files are in place and take effect on a VM or bare metal';

/**
 * Split in two on purpose: files can always be written, the running kernel can only be changed
 * outside a container. A container with the files in place is `skipped`, not failed or pending.
 */
export function systemSettingsFinding(facts: HostFacts): Finding {
	const files = [
		...fileChange(facts, paths.modules, modulesConf),
		...fileChange(facts, paths.sysctl, sysctlConf),
	];
	if (swapLine.test(facts.files.get(paths.fstab) ?? '')) {
		files.push('comment out swap entries in /etc/fstab');
	}

	const inContainer = facts.container !== '';
	const runtime: string[] = [];
	if (inContainer) {
		if (facts.sysctl.get('net.ipv4.ip_forward') !== '1') {
			runtime.push('set net.ipv4.ip_forward = 1');
		}
	} else {
		if (facts.swaps.length > 0) {
			runtime.push(`turn swap off (${facts.swaps.length} active)`);
		}

		for (const module of ['overlay', 'br_netfilter']) {
			if (!facts.modules.has(module)) {
				runtime.push(`load kernel module ${module}`);
			}
		}

		for (const line of sysctlConf.trim().split('\n')) {
			const [key = '', value = ''] = line.split(' = ');
			if (facts.sysctl.get(key) !== value) {
				runtime.push(`set ${key} = ${value}`);
			}
		}
	}

	const all = [...files, ...runtime, ...routedNote(facts)];
	if (all.length > 0) {
		if (inContainer) {
			all.push(
				'(in a container: swap, kernel modules and bridge sysctls are left to the host)',
			);
		}

		const fresh =
			facts.files.get(paths.modules) === undefined &&
			facts.files.get(paths.sysctl) === undefined;
		return {kind: fresh ? 'new' : 'change', changes: all};
	}

	return inContainer
		? {kind: 'skipped', reason: containerNote}
		: {kind: 'done'};
}

export const systemSettings: Step = {
	id: 'host.system-settings',
	phase: 'host',
	title: 'Kernel and swap settings',
	reach: 'host',
	probes: hostProbeSet,
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'swapon --show; lsmod | grep -E "overlay|br_netfilter"; sysctl net.ipv4.ip_forward net.bridge.bridge-nf-call-iptables'`,
		],
		fix: [
			`sudo swapoff -a; sudo modprobe overlay br_netfilter; sudo sysctl --system   (the files ${paths.modules} and ${paths.sysctl} keep them after a reboot)`,
		],
	}),
	remove: hostRemoval(
		'system-settings',
		facts => existing(facts, [paths.modules, paths.sysctl]),
		{
			leaves: () => [
				'swap stays off (its /etc/fstab lines stay commented out); the kernel keeps forwarding on until a reboot',
			],
		},
	),
	describe: () => [
		'swap off now and kept off (swap lines in /etc/fstab commented out)',
		'overlay and br_netfilter loaded at boot (/etc/modules-load.d)',
		'IP forwarding and bridge netfilter on (/etc/sysctl.d drop-in)',
		'inside a container the kernel parts are skipped; the files are still written',
	],
	async check(context) {
		return systemSettingsFinding(await hostFacts(context));
	},
	async apply(context) {
		const facts = await hostFacts(context);
		await runHostScript(
			context,
			'system-settings',
			{
				MODULES_CONF: modulesConf.trimEnd(),
				SYSCTL_CONF: sysctlConf.trimEnd(),
				RUNTIME: facts.container === '' ? 'yes' : 'no',
			},
			{readFacts: true},
		);
	},
	async verify(context) {
		await verifyConverged(systemSettings, context);
	},
};
