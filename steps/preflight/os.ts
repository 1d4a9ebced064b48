import type {Step} from '../../source/engine/step.js';
import {
	supportedSystemList,
	supportedSystems,
} from '../../source/config/supported-systems.js';
import {hostOf, sshCommand} from '../kit.js';
import {preflightFacts} from './facts.js';

export const os: Step = {
	id: 'preflight.os',
	phase: 'preflight',
	title: 'Operating system',
	reach: 'host',
	probes: () => preflightFacts,
	runbook: input => ({
		check: [
			`${sshCommand(input, input.connection.user ?? 'root')} cat /etc/os-release`,
		],
		fix: [`reinstall the server with one of: ${supportedSystems}`],
	}),
	describe: () => [`the host runs ${supportedSystems}`],
	async check(context) {
		const facts = await hostOf(context).facts.read(
			preflightFacts,
			context.signal,
		);
		const {id, versionId, prettyName} = facts.os;
		const supported = supportedSystemList.find(
			system => system.id === id && system.version === versionId,
		);
		if (supported) {
			return {kind: 'done', note: prettyName};
		}

		return {
			kind: 'blocked',
			problem: `${prettyName} is not supported`,
			hint: `Supported systems: ${supportedSystems}. Reinstall the server with one of them and run again.`,
		};
	},
};
