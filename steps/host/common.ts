import type {StepContext} from '../../source/engine/step.js';
import {runScript} from '../kit.js';
import {type HostFacts, hostProbeSet} from './facts.js';
import {paths, stateDirectory} from './paths.js';

/** Every managed path as a script value (`sshDropIn` → `SSH_DROP_IN_PATH`), and STATE_DIR. */
const pathValues: Record<string, string> = {
	STATE_DIR: stateDirectory,
	...Object.fromEntries(
		Object.entries(paths).map(([key, path]) => [
			`${key.replaceAll(/[A-Z]/g, letter => `_${letter}`).toUpperCase()}_PATH`,
			path,
		]),
	),
};

/**
 * Runs `assets/scripts/host/<name>.sh` after host/lib.sh as root, with `values` and the managed
 * paths on stdin: see the kit's `runScript`. The last script of an apply passes `readFacts`: the
 * phase's facts are read again in the same round trip, for the verify that follows.
 */
export async function runHostScript(
	context: StepContext,
	name: string,
	values: Record<string, string> = {},
	{evenWhenStopping = false, readFacts = false} = {},
): Promise<string> {
	return runScript(context, `host/${name}.sh`, {
		library: 'host/lib.sh',
		values: {...pathValues, ...values},
		evenWhenStopping,
		...(readFacts ? {thenRead: hostProbeSet(context.input)} : {}),
	});
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
