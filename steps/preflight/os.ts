import type {Step} from '../../source/engine/step.js';
import {hostOf} from '../kit.js';
import {preflightFacts} from './facts.js';

/** Distributions the host phase is written and tested for (ID and VERSION_ID of os-release). */
export const supportedSystems = [
	{id: 'ubuntu', version: '22.04', name: 'Ubuntu 22.04'},
	{id: 'ubuntu', version: '24.04', name: 'Ubuntu 24.04'},
	{id: 'debian', version: '12', name: 'Debian 12'},
	{id: 'debian', version: '13', name: 'Debian 13'},
] as const;

const supportedList = supportedSystems.map(system => system.name).join(', ');

export const os: Step = {
	id: 'preflight.os',
	phase: 'preflight',
	title: 'Operating system',
	reach: 'host',
	probes: () => preflightFacts,
	describe: () => [`the host runs one of ${supportedList}`],
	async check(context) {
		const facts = await hostOf(context).facts.read(
			preflightFacts,
			context.signal,
		);
		const {id, versionId, prettyName} = facts.os;
		const supported = supportedSystems.find(
			system => system.id === id && system.version === versionId,
		);
		if (supported) {
			return {kind: 'done', note: prettyName};
		}

		return {
			kind: 'blocked',
			problem: `${prettyName} is not supported`,
			hint: `Supported systems: ${supportedList}. Reinstall the server with one of them and run again.`,
		};
	},
};
