import type {Input} from '../../source/config/schema.js';
import {aptString} from '../../source/encode/index.js';
import type {Step} from '../../source/engine/step.js';
import {changes, fileChange, verifyConverged, sshCommand} from '../kit.js';
import {runHostScript, usesJournal} from './common.js';
import {type HostFacts, hostProbeSet, hostFacts} from './facts.js';
import {basePackages, journalPackages, paths} from './paths.js';
import {existing, hostRemoval} from './removal.js';

/** The apt proxy drop-in for `input.proxy`, or undefined when no proxy is configured. */
export function aptProxyConf(proxy: Input['proxy']): string | undefined {
	const lines: string[] = [];
	if (proxy.http) {
		lines.push(`Acquire::http::Proxy ${aptString(proxy.http)};`);
	}

	const https = proxy.https ?? proxy.http;
	if (https) {
		lines.push(`Acquire::https::Proxy ${aptString(https)};`);
	}

	return lines.length > 0 ? `${lines.join('\n')}\n` : undefined;
}

export function wantedPackages(facts: HostFacts): string[] {
	return [...basePackages, ...(usesJournal(facts.os) ? journalPackages : [])];
}

function plan(facts: HostFacts, input: Input) {
	const missing = wantedPackages(facts).filter(
		name => !facts.installed.has(name),
	);
	const proxy = aptProxyConf(input.proxy);
	const list = fileChange(facts, paths.aptProxy, proxy);
	if (missing.length > 0) {
		list.push(`install ${missing.join(' ')}`);
	}

	return {missing, proxy, list};
}

export const basePackagesStep: Step = {
	id: 'host.base-packages',
	phase: 'host',
	title: 'Base packages',
	reach: 'host',
	probes: hostProbeSet,
	inputs: input => ({proxy: input.proxy}),
	runbook: input => ({
		check: [`${sshCommand(input)} dpkg-query -W ${basePackages.join(' ')}`],
		fix: [
			`sudo apt-get update && sudo apt-get install -y ${basePackages.join(' ')}`,
			'a held or broken package: sudo dpkg --configure -a; sudo apt-get -f install',
		],
	}),
	remove: hostRemoval('apt-proxy', facts => existing(facts, [paths.aptProxy]), {
		leaves: () => [
			`the base packages (${basePackages.join(', ')}): other software may use them`,
		],
	}),
	describe: input => [
		`install what is missing of: ${basePackages.join(', ')} (and python3-systemd where fail2ban reads the journal)`,
		'apt-get runs non-interactively and waits up to 5 minutes for a busy package lock',
		aptProxyConf(input.proxy)
			? 'apt uses the configured proxy (an apt.conf.d drop-in)'
			: 'no apt proxy',
	],
	async check(context) {
		const facts = await hostFacts(context);
		const {list} = plan(facts, context.input);
		return changes(list, facts.installed.size > 0);
	},
	async apply(context) {
		const facts = await hostFacts(context);
		const {missing, proxy} = plan(facts, context.input);
		await runHostScript(
			context,
			'base-packages',
			{
				PROXY_CONF: proxy?.trimEnd() ?? '',
				PACKAGES: missing.join(' '),
			},
			{readFacts: true},
		);
	},
	async verify(context) {
		await verifyConverged(basePackagesStep, context);
	},
};
