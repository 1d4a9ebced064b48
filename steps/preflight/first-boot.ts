import {UserError} from '../../source/errors.js';
import type {Step, StepContext} from '../../source/engine/step.js';
import {hostOf, sshCommand} from '../kit.js';
import {sleep} from '../../source/wait.js';
import {
	type FirstBootState,
	readFirstBootState,
	preflightFacts,
} from './facts.js';
import {formatDuration} from './waiting.js';

/** What still runs, in words: empty when the host is free for apt. */
export function busyReasons(state: FirstBootState): string[] {
	const reasons: string[] = [];
	if (state.cloudInit.present && state.cloudInit.running) {
		reasons.push(`cloud-init (status: ${state.cloudInit.status})`);
	}

	const byPid = new Map<number, {command: string; paths: string[]}>();
	for (const holder of state.lockHolders) {
		const entry = byPid.get(holder.pid) ?? {command: holder.command, paths: []};
		entry.paths.push(holder.path);
		byPid.set(holder.pid, entry);
	}

	for (const [pid, {command, paths}] of byPid) {
		reasons.push(`${command} (pid ${pid}) holding ${paths.join(', ')}`);
	}

	return reasons;
}

export type FirstBootOptions = {
	/** Time between two looks at the host while waiting. */
	pollMs?: number;
};

async function waitUntilFree(
	context: StepContext,
	pollMs: number,
): Promise<void> {
	const {session} = hostOf(context);
	const limitSeconds = context.input.timeouts.firstBoot;
	const started = Date.now();
	const deadline = started + limitSeconds * 1000;
	for (;;) {
		// eslint-disable-next-line no-await-in-loop -- polling: each look depends on the time left
		const state = await readFirstBootState(session, context.signal);
		const reasons = busyReasons(state);
		const elapsed = (Date.now() - started) / 1000;
		if (reasons.length === 0) {
			context.output(`the host is free after ${formatDuration(elapsed)}`);
			return;
		}

		const left = (deadline - Date.now()) / 1000;
		if (left <= 0) {
			const pids = [...new Set(state.lockHolders.map(holder => holder.pid))];
			throw new UserError(
				`the host is still busy after ${limitSeconds} s: ${reasons.join('; ')}`,
				{
					hint: [
						'On a fresh server this is cloud-init or unattended-upgrades finishing the first boot; it usually ends within minutes.',
						pids.length > 0
							? `See what it is doing on the host: ps -o pid,etime,args -p ${pids.join(',')} (stop it only if it is stuck).`
							: 'See what it is doing on the host: cloud-init status --long',
						`Then run again, or wait longer with CODEXK8S_FIRST_BOOT_TIMEOUT (timeouts.firstBoot in the config file; now ${limitSeconds} s).`,
					].join('\n'),
				},
			);
		}

		context.output(
			`waiting for ${reasons.join('; ')}: ${formatDuration(left)} left`,
		);
		// eslint-disable-next-line no-await-in-loop -- see above
		await sleep(Math.min(pollMs, left * 1000), context.signal);
	}
}

export function firstBootStep(options: FirstBootOptions = {}): Step {
	const pollMs = options.pollMs ?? 2000;
	return {
		id: 'preflight.first-boot',
		phase: 'preflight',
		title: 'First boot finished',
		reach: 'host',
		probes: () => preflightFacts,
		// An apt run left behind (a killed install) may have installed packages while this waited.
		replansLater: true,
		runbook: input => ({
			check: [
				`${sshCommand(input)} 'cloud-init status; sudo fuser -v /var/lib/dpkg/lock-frontend /var/lib/apt/lists/lock'`,
			],
			fix: [
				'a fresh server finishes cloud-init and its first unattended upgrade within minutes: wait, then run again',
				'an apt run that is stuck: see it with ps -o pid,etime,args -p PID and stop it only if it is stuck; then sudo dpkg --configure -a',
				`or wait longer: CODEXK8S_FIRST_BOOT_TIMEOUT (now ${input.timeouts.firstBoot} s)`,
			],
		}),
		describe: input => [
			`wait (up to ${input.timeouts.firstBoot} s) for cloud-init and for apt/dpkg locks held by unattended upgrades`,
		],
		async check(context) {
			const facts = await hostOf(context).facts.read(
				preflightFacts,
				context.signal,
			);
			const reasons = busyReasons(facts);
			if (reasons.length > 0) {
				return {
					kind: 'change',
					changes: reasons.map(reason => `wait for ${reason}`),
				};
			}

			return {
				kind: 'done',
				note: facts.cloudInit.present
					? `cloud-init ${facts.cloudInit.status}; apt/dpkg locks free`
					: 'apt/dpkg locks free',
			};
		},
		async apply(context) {
			await waitUntilFree(context, pollMs);
			hostOf(context).facts.forget();
		},
	};
}

export const firstBoot = firstBootStep();
