import type {Input} from '../../source/config/schema.js';
import {UserError} from '../../source/errors.js';
import type {Step} from '../../source/engine/step.js';
import {
	changes,
	fileChange,
	hostOf,
	verifyConverged,
	sshCommand,
} from '../kit.js';
import {runHostScript, sshPorts} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {besideOtherFirewalls} from './firewall-coexist.js';
import {paths} from './paths.js';
import {getLoginVerifier, proofMarker, proveNewLogin} from './login-proof.js';
import {hostRemoval} from './removal.js';
import {
	firewallTable,
	normalizeTable,
	publishedMarker,
	renderRulesFile,
	renderTable,
	tablePorts,
	firewallUnit,
} from './firewall-rules.js';

const undoSeconds = 120;

/**
 * `keep`: the host phase's table keeps the web ports the cluster phase published (its rules file
 * says so) and never opens them itself; `publish`: the cluster phase opens them.
 */
type WebPorts = 'keep' | 'publish';

function webPublished(facts: HostFacts, input: Input, web: WebPorts): boolean {
	if (input.mode !== 'server') {
		return false;
	}

	return (
		web === 'publish' ||
		(facts.files.get(paths.firewallRules)?.includes(publishedMarker) ?? false)
	);
}

function plan(facts: HostFacts, input: Input, web: WebPorts) {
	const published = webPublished(facts, input, web);
	const ports = tablePorts(input, sshPorts(facts), published);
	const rules = renderRulesFile(ports, published);
	const list = [
		...fileChange(facts, paths.firewallRules, rules),
		...fileChange(facts, paths.firewallUnit, firewallUnit),
	];
	if (
		facts.systemd.get('codex-k8s-install-firewall.service:is-enabled') !==
		'enabled'
	) {
		list.push(
			'enable codex-k8s-install-firewall.service (loads the table at boot)',
		);
	}

	if (
		facts.nftTable === undefined ||
		normalizeTable(facts.nftTable) !== normalizeTable(renderTable(ports))
	) {
		const udp = ports.udp.length > 0 ? `, UDP ${ports.udp.join(', ')}` : '';
		list.push(
			`load table inet ${firewallTable}: inbound dropped except SSH, ICMP, TCP ${ports.tcp.join(', ')}${udp}`,
		);
	}

	if (facts.files.get(paths.firewallProven) !== proofMarker(rules)) {
		list.push(
			'prove a new SSH login through the table (rolled back if it fails)',
		);
	}

	return {ports, rules, list};
}

type FirewallSpec = Pick<
	Step,
	'id' | 'phase' | 'title' | 'when' | 'describe' | 'runbook' | 'remove'
> & {
	web: WebPorts;
};

/** The table's step: one module holds the rules, whichever phase loads them. */
function firewallStep({web, ...spec}: FirewallSpec): Step {
	const step: Step = {
		...spec,
		reach: 'host',
		probes: hostProbeSet,
		inputs: input => ({mode: input.mode, keep: input.firewallKeepPorts}),
		async check(context) {
			const facts = await hostFacts(context);
			const {ports, list} = plan(facts, context.input, web);
			const beside = besideOtherFirewalls(facts.firewalls, ports);
			if (beside.kind === 'blocked') {
				return beside;
			}

			const finding = changes(
				[...list, ...(list.length > 0 ? beside.notes : [])],
				facts.nftTable !== undefined,
			);
			return finding.kind === 'done' && beside.notes.length > 0
				? {kind: 'done', note: beside.notes.join('; ')}
				: finding;
		},
		async apply(context) {
			const facts = await hostFacts(context);
			const {ports, rules} = plan(facts, context.input, web);
			const verifyLogin = getLoginVerifier(context);
			if (!verifyLogin) {
				throw new Error('the firewall needs a login verifier');
			}

			await runHostScript(context, 'firewall', {
				ACTION: 'apply',
				RULES: rules.trimEnd(),
				UNIT: firewallUnit.trimEnd(),
				UNDO_SECONDS: String(undoSeconds),
			});
			// The open session survives any rule set (established); only a new login proves SSH is open.
			await proveNewLogin({
				what: 'Firewall',
				user: hostOf(context).session.target.user,
				verifyLogin,
				timeoutMs: 10_000,
				undoSeconds,
				rollBack: async () =>
					runHostScript(
						context,
						'firewall',
						{ACTION: 'rollback'},
						{evenWhenStopping: true},
					),
				rolledBack: error =>
					new UserError(
						`Firewall rolled back: a new SSH login failed with the table loaded (${error.message})`,
						{
							hint: `Open ports were TCP ${ports.tcp.join(', ')}; the table is removed and not loaded at boot.`,
							cause: error,
						},
					),
			});
			await runHostScript(
				context,
				'firewall',
				{ACTION: 'prove', MARKER: proofMarker(rules).trimEnd()},
				{readFacts: true},
			);
		},
		async verify(context) {
			await verifyConverged(step, context);
		},
	};
	return step;
}

export const firewall = firewallStep({
	id: 'host.firewall',
	phase: 'host',
	title: 'Firewall',
	web: 'keep',
	when: input => input.firewall,
	runbook: input => ({
		check: [
			`${sshCommand(input)} 'sudo nft list table inet ${firewallTable}; systemctl is-enabled codex-k8s-install-firewall.service'`,
			`from this computer: nc -vz -w 3 ${input.connection.host ?? 'HOST'} 22 (open)${input.mode === 'server' ? ', 80 and 443 (open)' : ''}; 6443 and 10250 (closed)`,
		],
		fix: [
			`locked out by the firewall: from the provider's console, sudo systemctl disable --now codex-k8s-install-firewall.service; sudo nft delete table inet ${firewallTable}`,
			'then run install again: the table is rebuilt and a new login is proven before it is kept',
		],
	}),
	remove: hostRemoval(
		'firewall',
		facts =>
			facts.nftTable !== undefined ||
			facts.files.get(paths.firewallRules) !== undefined ||
			facts.files.get(paths.firewallUnit) !== undefined
				? [
						`remove table inet ${firewallTable} and codex-k8s-install-firewall.service`,
					]
				: [],
		{keptUnless: 'hardening'},
	),
	describe: input => [
		`nftables table inet ${firewallTable} of its own: other tables (k3s's) are never flushed`,
		`inbound dropped except replies, loopback, ICMP, DHCP, pod interfaces and TCP to SSH${input.mode === 'server' ? '; 80 and 443 once the cluster phase publishes them' : ''}`,
		'loaded at boot by codex-k8s-install-firewall.service; applied before anything else listens',
	],
});

/**
 * `cluster.public-ports`: in server mode the cluster phase opens 80 and 443 once Traefik is
 * published on them. It is the firewall's own step with the web ports open, so the rules stay in
 * this module; phases never import each other, so steps/index.ts places it after the cluster's.
 */
export const publicPorts = firewallStep({
	id: 'cluster.public-ports',
	phase: 'cluster',
	title: 'Web ports in the firewall',
	web: 'publish',
	when: input => input.firewall && input.mode === 'server',
	runbook: input => ({
		check: [
			`from this computer: nc -vz -w 3 ${input.connection.host ?? 'HOST'} 443   (open once Traefik is published)`,
		],
		fix: [
			'codex-k8s-install install --only cluster   (opens 80 and 443 again)',
		],
	}),
	describe: () => [
		`TCP 80 and 443 opened in table inet ${firewallTable}, now that k3s's Traefik is published on them`,
	],
});
