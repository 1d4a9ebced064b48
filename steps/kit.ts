/**
 * What every phase's steps share: the host of the context, scripts run on it, assets, file
 * comparisons, findings and the convergence check. A step imports this and its own phase's files,
 * nothing else from steps/ (see docs/contributing.md).
 */

import {basename} from 'node:path';
import {UserError} from '../source/errors.js';
import type {Host, Probed, ProbeSet} from '../source/engine/host.js';
import {probeAfterMarker} from '../source/remote/scripts.js';
import type {Kube} from '../source/kube/index.js';
import type {Input} from '../source/config/schema.js';
import type {Finding, Step, StepContext} from '../source/engine/step.js';

export {readAsset} from '../source/assets.js';

/**
 * The cluster's API: the pod's service account inside the cluster, otherwise the host's (through
 * SSH). Throws ClusterNotRunningError before k3s runs.
 */
export async function kubeOf(context: StepContext): Promise<Kube> {
	return context.kube ? context.kube() : hostOf(context).kube();
}

/** The host of a `host` step; the engine always connects before checking one. */
export function hostOf(context: StepContext): Host {
	if (!context.host) {
		throw new Error('a host step ran without an SSH session');
	}

	return context.host;
}

export type ScriptOptions = {
	/** Values the script reads from stdin (never argv or the environment): see source/remote/scripts.ts. */
	values?: Record<string, string>;
	/** A script under assets/scripts/ sent before it, for helpers (host/lib.sh). */
	library?: string;
	/** For repairs (a rollback) that must run although Ctrl-C was pressed. */
	evenWhenStopping?: boolean;
	/**
	 * Facts to read again right after the script, in its round trip: the verify that follows (and
	 * the next step's apply) take them instead of a round trip of their own.
	 */
	thenRead?: ProbeSet;
};

/**
 * Runs `assets/scripts/<name>` as root on the host, streaming its output; resolves with its stdout.
 * A non-zero exit is a UserError that shows the script's last lines. The host changed afterwards
 * (or may have, on failure), so its facts are forgotten: the next check reads them again.
 */
export async function runScript(
	context: StepContext,
	name: string,
	{
		values = {},
		library,
		evenWhenStopping = false,
		thenRead,
	}: ScriptOptions = {},
): Promise<string> {
	const {session, facts} = hostOf(context);
	let reread: Probed | undefined;
	try {
		const before = Date.now();
		let probing = false;
		const result = await session.runScript(name, {
			library,
			values,
			root: true,
			signal: evenWhenStopping ? undefined : context.signal,
			timeoutMs: context.input.timeouts.command * 1000,
			thenProbe: await thenRead?.snippets(),
			onLine(line, stream) {
				probing ||= thenRead !== undefined && line === probeAfterMarker;
				// The facts read after the script are data, not its output.
				if (!probing || stream === 'stderr') {
					context.output(line);
				}
			},
		});
		if (result.probed) {
			reread = {results: result.probed, before, after: Date.now()};
		}

		if (result.code !== 0) {
			const tail = `${result.stderr}\n${result.stdout}`
				.trim()
				.split('\n')
				.slice(-12)
				.join('\n');
			throw new UserError(
				`${basename(name, '.sh')} failed on the host (exit ${result.code})`,
				{hint: tail},
			);
		}

		return result.stdout;
	} finally {
		facts.forget();
		if (reread && thenRead) {
			facts.seed(thenRead.name, reread);
		}
	}
}

/** The change line for one file, or nothing when it already has the wanted text. */
export function fileChange(
	facts: {files: ReadonlyMap<string, string | undefined>},
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

/** The finding for a list of changes: `new` when nothing of the step's is there yet. */
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

/**
 * How many runners the scale set keeps and allows (runner and verify phases): local mode one warm
 * runner that long-polls GitHub (nothing inbound, no wait for a pod to start); server mode
 * between the given bounds, by default from none to two.
 */
export function runnerSizing(input: Input): {
	minRunners: number;
	maxRunners: number;
} {
	if (input.mode !== 'server') {
		return {minRunners: 1, maxRunners: 1};
	}

	return {minRunners: input.runner.min ?? 0, maxRunners: input.runner.max ?? 2};
}

/**
 * The `ssh` command an operator types to reach the host as `user` (the operator by default), for
 * runbook lines: the port only when it is not 22.
 */
export function sshCommand(
	input: {
		connection: {host?: string; port?: number};
		operator: {user: string};
	},
	user = input.operator.user,
): string {
	const {host = 'HOST', port} = input.connection;
	return `ssh ${port && port !== 22 ? `-p ${port} ` : ''}${user}@${host}`;
}
