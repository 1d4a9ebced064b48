import {exitCodes, UsageError} from '../errors.js';
import {StateStore} from '../engine/state.js';
import type {StepContext} from '../engine/step.js';
import {allSteps} from '../../steps/index.js';
import {hostProbeSet} from '../../steps/host/facts.js';
import {askYesNo} from './confirm.js';
import {lockHost, openRemote} from './remote.js';
import {openSession, stepContext} from './session.js';
import {
	choose,
	parseRemove,
	planLines,
	removalOrder,
	type RemovalItem,
} from './uninstall-plan.js';
import type {Invocation} from './index.js';

const keptWords = {
	hardening: 'hardening',
	operator: 'operator',
	github: 'github',
} as const;

function report(
	{flags, streams}: Invocation,
	outcome: {
		target: string;
		removed: Array<{item: RemovalItem; changes: string[]}>;
		kept: string[];
		log?: string;
	},
): void {
	const {removed, kept} = outcome;
	const document = {
		command: 'uninstall',
		ok: true,
		target: outcome.target,
		changes: removed.length,
		removed: removed.map(({item, changes}) => ({
			id: item.id,
			title: item.title,
			changes,
		})),
		kept,
		log: outcome.log ?? null,
	};
	const keptText =
		kept.length > 0
			? ` Kept on purpose:\n${kept.map(line => `  ${line}`).join('\n')}`
			: '';
	streams.stdout.write(
		flags['json']
			? `${JSON.stringify(document, undefined, 2)}\n`
			: `Removed ${removed.length} item${removed.length === 1 ? '' : 's'}.${keptText}\n`,
	);
}

/**
 * Removing the operator user this uninstall is logged in as would cut its own session halfway,
 * and on a host where root may not log in over SSH nobody could log in afterwards: refused
 * before anything is read or changed.
 */
const ownLoginRefused = (user: string) =>
	new UsageError(
		`Cannot remove the operator user ${user}: this uninstall is logged in as ${user}`,
		`Log in as root or another sudo user to remove it (--user root, or a Host entry of ~/.ssh/config with another User). If root may not log in over SSH, give another user sudo and a key first. Nothing was changed.`,
	);

/**
 * `uninstall`: a plan first (what each removal would take back, what stays and why), then the
 * removals in reverse order of the install. The operator user, the host's hardening and the
 * repository's wiring stay unless `--remove` names them. Idempotent: what is gone is not planned,
 * so a second uninstall changes nothing. The steps taken back are forgotten in the local record.
 */
export async function run(invocation: Invocation): Promise<number> {
	const {flags, streams, env} = invocation;
	const asked = parseRemove(flags['remove']);
	const session = await openSession(invocation, {
		registry: allSteps,
		alwaysLog: true,
		openState: directory => new StateStore({directory}),
	});
	const {key, input, log} = session;
	if (!key) {
		throw new UsageError(
			'No target host given',
			'Pass --host (or CODEXK8S_HOST, or connection.host in --config).',
		);
	}

	const {chosen, kept} = choose(removalOrder(allSteps, input), asked);
	const {signal} = new AbortController();
	const remote = await openRemote(session, invocation, signal);
	let lock: Awaited<ReturnType<typeof lockHost>> | undefined;
	try {
		// The user the connection really logged in as (--user, or ~/.ssh/config's User).
		const loginUser = remote?.host.session.target.user;
		if (asked.has('operator') && loginUser === input.operator.user) {
			throw ownLoginRefused(loginUser);
		}

		lock = remote && (await lockHost(remote.host.session, invocation));
		const context: StepContext = {
			...stepContext(session, signal, env, line => {
				streams.stderr.write(`  › ${line}\n`);
			}),
			host: remote?.host,
		};
		// Every host removal reads the same facts: one round trip for the whole plan.
		await remote?.host.facts.sendAhead([hostProbeSet(input)], signal);
		const planned: Array<{item: RemovalItem; changes: string[]}> = [];
		for (const item of chosen) {
			// eslint-disable-next-line no-await-in-loop -- in order: later checks read the same facts
			planned.push({item, changes: await item.removal.check(context)});
		}

		remote?.host.facts.dropAhead();
		const keptLines = kept.map(
			item =>
				`${item.title} (--remove ${keptWords[item.removal.keptUnless!]} removes it)`,
		);
		const left = chosen.flatMap(item => item.removal.leaves?.(input) ?? []);
		const work = planned.filter(entry => entry.changes.length > 0);
		streams.stderr.write(
			`Uninstall plan for ${key}:\n${planLines(planned, keptLines, left).join('\n')}\n`,
		);
		if (work.length > 0 && !flags['yes']) {
			if (!invocation.interactive) {
				throw new UsageError(
					'Uninstall needs a confirmation',
					'Pass --yes to remove what the plan lists.',
				);
			}

			if (!(await askYesNo(streams, 'Remove these?'))) {
				streams.stderr.write('Nothing was changed.\n');
				return exitCodes.ok;
			}
		}

		const removed: string[] = [];
		for (const {item} of work) {
			streams.stderr.write(`  › removing ${item.title}\n`);
			log.info(`[uninstall] ${item.id}`);
			// eslint-disable-next-line no-await-in-loop -- in reverse install order, one at a time
			await item.removal.apply(context);
			removed.push(item.id);
		}

		// What a removal found nothing of is gone as well: the record forgets every chosen step.
		const gone = new Set(chosen.map(item => item.id));
		const k3sGone = removed.includes('cluster.k3s');
		session.store.forgetSteps(
			key,
			allSteps
				.filter(
					step =>
						gone.has(step.id) ||
						(k3sGone && ['cluster', 'platform', 'runner'].includes(step.phase)),
				)
				.map(step => step.id),
		);
		report(invocation, {
			target: key,
			removed: work,
			kept: [...keptLines, ...left],
			log: log.file,
		});
		return exitCodes.ok;
	} finally {
		await lock?.release();
		await remote?.close();
	}
}
