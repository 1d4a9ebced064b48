import type {Input} from '../../source/config/schema.js';
import type {Check} from '../../source/engine/check.js';
import type {Finding} from '../../source/engine/step.js';
import {probePorts} from '../../source/local/ports.js';
import {hostOf} from '../kit.js';
import {hostFacts, hostProbeSet} from './facts.js';
import {firewall} from './firewall.js';
import {tablePorts} from './firewall-rules.js';
import {paths} from './paths.js';
import {sshHardeningFinding} from './ssh-hardening.js';

/**
 * Ports nothing outside should reach: the Kubernetes API, etcd, the kubelet, the node's registry,
 * ingress and webhook admin ports, a node exporter, and 80/443 in local mode (upstream-spec §7.3).
 */
export function mustBeClosed(input: Input): number[] {
	const open = tablePorts(input, []).tcp.map(spec => {
		const [low, high = low] = spec.split('-').map(Number);
		return [low!, high!] as const;
	});
	return [
		...(input.mode === 'server' ? [] : [80, 443]),
		2379,
		2380,
		5000,
		6443,
		8080,
		8443,
		9100,
		10_250,
		10_254,
		10_255,
	].filter(port => !open.some(([low, high]) => low <= port && port <= high));
}

const whatIsLeft = (finding: Finding) =>
	finding.kind === 'new' || finding.kind === 'change'
		? finding.changes.join('; ')
		: finding.kind === 'blocked'
			? finding.problem
			: '';

/** SSH hardening: what sshd really applies (`sshd -T`), and the installer's drop-in in place. */
export const sshHardeningCheck: Check = {
	id: 'host.ssh-hardening',
	phase: 'host',
	title: 'SSH hardening in effect',
	proves:
		'sshd accepts keys only: no passwords, no keyboard-interactive, root by key only',
	runbookSection: 'host.ssh-hardening',
	installedBy: 'host.ssh-hardening',
	reach: 'host',
	probes: hostProbeSet,
	async run(context) {
		const facts = await hostFacts(context);
		const os = `${facts.os.id} ${facts.os.versionId}`.trim();
		const versions = os ? {os} : undefined;
		if (
			facts.files.get(paths.sshDropIn) === undefined &&
			facts.files.get(paths.sshProven) === undefined
		) {
			return {
				status: 'absent',
				detail: `no ${paths.sshDropIn}: the host phase did not run here`,
				versions,
			};
		}

		const finding = sshHardeningFinding(
			facts,
			context.input.operator.user,
			'prohibit-password',
		);
		return finding.kind === 'done'
			? {
					status: 'ok',
					detail:
						'sshd -T: passwordauthentication no, pubkeyauthentication yes',
					versions,
				}
			: {status: 'failed', detail: whatIsLeft(finding), versions};
	},
};

/**
 * The firewall from both sides: from this computer, no port that must stay closed answers; on the
 * host, the installer's table is loaded as written and loaded at boot.
 */
export const firewallCheck: Check = {
	id: 'host.firewall',
	phase: 'host',
	title: 'Firewall exposes only what it should',
	proves:
		'from this computer only SSH (and 80/443 in server mode) answer; the table is loaded as installed',
	runbookSection: 'host.firewall',
	installedBy: 'host.firewall',
	reach: 'host',
	when: input => input.firewall,
	probes: hostProbeSet,
	async run(context) {
		const {hostname} = hostOf(context).session.target;
		const closed = mustBeClosed(context.input);
		const [facts, states, finding] = await Promise.all([
			hostFacts(context),
			probePorts(hostname, closed),
			firewall.check(context),
		]);
		const exposed = closed.filter(port => states.get(port) === 'open');
		if (
			facts.nftTable === undefined &&
			facts.files.get(paths.firewallRules) === undefined
		) {
			const open =
				exposed.length > 0
					? `; TCP ${exposed.join(', ')} answer from this computer`
					: '';
			return {
				status: 'absent',
				detail: `no firewall table of the installer${open}`,
			};
		}

		const problems = [
			...(exposed.length > 0
				? [`TCP ${exposed.join(', ')} answer from this computer`]
				: []),
			...(finding.kind === 'done' || finding.kind === 'skipped'
				? []
				: [`on the host: ${whatIsLeft(finding)}`]),
		];
		return problems.length > 0
			? {status: 'failed', detail: problems.join('; ')}
			: {
					status: 'ok',
					detail: `${closed.length} ports that must be closed do not answer from ${hostname}; table loaded`,
				};
	},
};

/** The host phase's smoke checks. */
export const hostChecks: readonly Check[] = [sshHardeningCheck, firewallCheck];
