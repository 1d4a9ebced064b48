import type {Step} from '../../source/engine/step.js';
import {hostOf, sshCommand} from '../kit.js';
import {preflightFacts} from './facts.js';

/** TLS certificates, GitHub tokens and apt signatures tolerate far less than this. */
export const maxSkewSeconds = 60;

export function formatSkew(seconds: number): string {
	const whole = Math.round(Math.abs(seconds));
	if (whole < 60) {
		return `${Math.abs(seconds).toFixed(1)} s`;
	}

	const parts = [
		[Math.floor(whole / 86_400), 'd'],
		[Math.floor((whole % 86_400) / 3600), 'h'],
		[Math.floor((whole % 3600) / 60), 'min'],
		[whole % 60, 's'],
	] as const;
	return parts
		.filter(([value]) => value > 0)
		.map(([value, unit]) => `${value} ${unit}`)
		.join(' ');
}

export const clock: Step = {
	id: 'preflight.clock',
	phase: 'preflight',
	title: 'Clock',
	reach: 'host',
	probes: () => preflightFacts,
	runbook: input => ({
		check: [
			`${sshCommand(input)} timedatectl   (System clock synchronized: yes)`,
			'date -u   (here, to compare)',
		],
		fix: [
			'sudo timedatectl set-ntp true   (sudo apt-get install systemd-timesyncd when it is missing)',
			"if the host is right and this computer is wrong, fix this computer's clock instead",
		],
	}),
	describe: () => [
		`the host's clock is within ${maxSkewSeconds} s of this computer's`,
	],
	async check(context) {
		const {clockSkewSeconds: skew, timeSync} = await hostOf(context).facts.read(
			preflightFacts,
			context.signal,
		);
		const sync =
			timeSync.synchronized === true
				? 'synchronized'
				: timeSync.ntp === false
					? 'NTP off'
					: 'not synchronized';
		if (Math.abs(skew) <= maxSkewSeconds) {
			return {
				kind: 'done',
				note: `${formatSkew(skew)} apart; ${timeSync.ntp === undefined ? 'time sync unknown' : sync}`,
			};
		}

		return {
			kind: 'blocked',
			problem: `the host's clock is ${formatSkew(skew)} ${skew > 0 ? 'ahead of' : 'behind'} this computer's (${sync})`,
			hint: [
				'Certificates, GitHub tokens and apt signatures fail with a wrong clock. On the host, turn on time sync:',
				'  sudo timedatectl set-ntp true   (install it first if missing: sudo apt-get install systemd-timesyncd)',
				"If the host is right and this computer is wrong, fix this computer's clock instead.",
			].join('\n'),
		};
	},
};
