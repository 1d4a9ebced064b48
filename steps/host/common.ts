import {UserError} from '../../source/engine/errors.js';
import type {Finding, Step, StepContext} from '../../source/engine/step.js';
import {hostOf} from '../kit.js';
import type {HostFacts} from './facts.js';

/**
 * Runs `assets/scripts/host/<name>.sh` as root with `values` on stdin, streaming its output.
 * The host changed afterwards (or may have, on failure), so the phase probe is forgotten.
 * `evenWhenStopping` is for repairs (a rollback) that must run although Ctrl-C was pressed.
 */
export async function runHostScript(
	context: StepContext,
	name: string,
	values: Record<string, string> = {},
	{evenWhenStopping = false} = {},
): Promise<string> {
	const {session, facts} = hostOf(context);
	try {
		const result = await session.runScript(`host/${name}.sh`, {
			library: 'host/lib.sh',
			values,
			root: true,
			signal: evenWhenStopping ? undefined : context.signal,
			timeoutMs: context.input.timeouts.command * 1000,
			onLine(line) {
				context.output(line);
			},
		});
		if (result.code !== 0) {
			const tail = `${result.stderr}\n${result.stdout}`
				.trim()
				.split('\n')
				.slice(-12)
				.join('\n');
			throw new UserError(`${name} failed on the host (exit ${result.code})`, {
				hint: tail,
			});
		}

		return result.stdout;
	} finally {
		facts.forget();
	}
}

/** The change line for one managed file, or nothing when it already has the wanted text. */
export function fileChange(
	facts: HostFacts,
	path: string,
	wanted: string | undefined,
): string[] {
	const current = facts.files.get(path);
	if (current === wanted) {
		return [];
	}

	if (wanted === undefined) {
		return [`remove ${path}`];
	}

	return [current === undefined ? `create ${path}` : `update ${path}`];
}

export function changes(list: string[], alreadyThere: boolean): Finding {
	if (list.length === 0) {
		return {kind: 'done'};
	}

	return {kind: alreadyThere ? 'change' : 'new', changes: list};
}

/** After `apply`: the step's own check must now find nothing left to do. */
export async function verifyConverged(
	step: Pick<Step, 'check' | 'title'>,
	context: StepContext,
): Promise<Finding> {
	const finding = await step.check(context);
	if (finding.kind === 'new' || finding.kind === 'change') {
		throw new UserError(`${step.title}: still not as wanted after applying`, {
			hint: finding.changes.join('\n'),
		});
	}

	if (finding.kind === 'blocked') {
		throw new UserError(`${step.title}: ${finding.problem}`, {
			hint: finding.hint,
		});
	}

	return finding;
}

/** Fail2ban reads the journal (needs python3-systemd) where there is no auth.log by default. */
export function usesJournal(os: HostFacts['os']): boolean {
	const major = Number.parseInt(os.versionId, 10);
	if (os.id === 'debian') {
		return major >= 12;
	}

	if (os.id === 'ubuntu') {
		return major >= 24;
	}

	return false;
}

/** The SSH ports to keep open: those sshd listens on and the one this session came in on. */
export function sshPorts(facts: HostFacts): number[] {
	const ports = new Set(
		(facts.sshd?.get('port') ?? []).map(Number).filter(Boolean),
	);
	if (facts.client) {
		ports.add(facts.client.serverPort);
	}

	if (ports.size === 0) {
		ports.add(22);
	}

	return [...ports].toSorted((a, b) => a - b);
}

export {hostFacts} from './facts.js';
