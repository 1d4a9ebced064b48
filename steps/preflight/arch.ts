import type {Step} from '../../source/engine/step.js';
import {hostOf, sshCommand} from '../kit.js';
import {preflightFacts} from './facts.js';

/** Debian architecture names that k3s and the platform images are published for. */
export const supportedArchitectures = ['amd64', 'arm64'] as const;

export const arch: Step = {
	id: 'preflight.arch',
	phase: 'preflight',
	title: 'CPU architecture',
	reach: 'host',
	probes: () => preflightFacts,
	runbook: input => ({
		check: [`${sshCommand(input, input.connection.user ?? 'root')} uname -m`],
		fix: ['use an amd64 (x86_64) or arm64 (aarch64) server'],
	}),
	describe: () => ['the host is amd64 (x86_64) or arm64 (aarch64)'],
	async check(context) {
		const {arch} = await hostOf(context).facts.read(
			preflightFacts,
			context.signal,
		);
		const label =
			arch.machine && arch.machine !== arch.dpkg
				? `${arch.dpkg} (${arch.machine})`
				: arch.dpkg;
		if ((supportedArchitectures as readonly string[]).includes(arch.dpkg)) {
			return {kind: 'done', note: label};
		}

		return {
			kind: 'blocked',
			problem: `CPU architecture ${label || 'unknown'} is not supported`,
			hint: 'Supported: amd64 (x86_64) and arm64 (aarch64), with a 64-bit system installed.',
		};
	},
};
