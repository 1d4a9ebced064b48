import {homedir} from 'node:os';
import {join} from 'node:path';
import {text} from 'node:stream/consumers';
import {secretFields} from '../config/fields.js';
import {readLayers, type Loaded} from '../config/load.js';
import type {Known} from '../config/required.js';
import type {Phase} from '../config/schema.js';
import {expandHome, getPath} from '../config/tree.js';
import {createLogger, type Logger} from '../log.js';
import {assertDirectoryPath, assertFilePath} from '../local/paths.js';
import {selectSteps} from '../engine/registry.js';
import type {StateReader} from '../engine/state-file.js';
import type {Step, StepContext} from '../engine/step.js';
import {forStep, githubForRun} from '../github/context.js';
import {createWaits, type Waits} from '../report/waits.js';
import {answerLayers, phaseSelection, type AnswerOptions} from './answers.js';
import {knownOf} from './kept-secrets.js';
import type {Invocation} from './index.js';

export type Session<State extends StateReader = StateReader> = Loaded & {
	/** State key of the target, once a host is known. */
	key?: string;
	store: State;
	log: Logger;
	/** The phases of `--only` (or of the run being resumed), when a selection was made. */
	only?: Phase[];
	/** The phases this run covers, decided once here. */
	phases: Phase[];
	/** Phases left for a later version, and the line that says so (runs of built phases only). */
	later: Phase[];
	notice?: string;
	steps: Step[];
	/** This computer's home directory, read once. */
	home: string;
	/** Where saved answers, logs and the runbook live. */
	stateDir: string;
	/** What this computer's record says about the target (platform secrets kept in its cluster). */
	known: Known;
};

export function defaultStateDir(
	env: NodeJS.ProcessEnv,
	home = homedir(),
): string {
	if (env['CODEXK8S_STATE_DIR']) {
		return expandHome(env['CODEXK8S_STATE_DIR'], home);
	}

	const base =
		process.platform === 'win32'
			? (env['APPDATA'] ?? join(home, 'AppData', 'Roaming'))
			: (env['XDG_CONFIG_HOME'] ?? join(home, '.config'));
	return join(base, 'codex-k8s-install');
}

export type SessionOptions<State extends StateReader> = Omit<
	AnswerOptions,
	'home'
> & {
	/** How to open the state: read-only for `plan`, the writable store for runs. */
	openState: (directory: string) => State;
	/** Log to a file even without --log-file (runs that change things always log). */
	alwaysLog: boolean;
};

export async function openSession<State extends StateReader>(
	invocation: Invocation,
	options: SessionOptions<State>,
): Promise<Session<State>> {
	const {flags, env} = invocation;
	const home = env['HOME'] ?? homedir();
	const stateDir =
		typeof flags['stateDir'] === 'string'
			? expandHome(flags['stateDir'], home)
			: defaultStateDir(env, home);
	assertDirectoryPath(
		stateDir,
		typeof flags['stateDir'] === 'string'
			? '--state-dir'
			: env['CODEXK8S_STATE_DIR']
				? 'CODEXK8S_STATE_DIR'
				: 'The state directory',
	);
	if (typeof flags['logFile'] === 'string') {
		assertFilePath(expandHome(flags['logFile'], home), '--log-file');
	}

	const store = options.openState(stateDir);
	const stdinToken = flags['tokenStdin']
		? await text(invocation.streams.stdin)
		: undefined;
	// Files and stdin are read once; saved answers, found through the target, join them below.
	const given = readLayers({
		flags,
		env,
		configFile: flags['config'] as string | undefined,
		stdinToken,
		home,
	});
	const {loaded, key, only} = await answerLayers(store, given, invocation, {
		...options,
		home,
	});

	const logFile =
		typeof flags['logFile'] === 'string'
			? expandHome(flags['logFile'], home)
			: options.alwaysLog
				? join(
						stateDir,
						'logs',
						`${new Date().toISOString().replaceAll(':', '-')}-${invocation.command}.log`,
					)
				: undefined;
	const log = createLogger(logFile);
	for (const field of secretFields) {
		log.addSecret(getPath(loaded.input, field.path) as string | undefined);
	}

	return {
		...loaded,
		key,
		store,
		log,
		only,
		...phaseSelection(options, only),
		steps: selectSteps(options.registry, loaded.input, only),
		home,
		stateDir,
		known: knownOf(store, key, loaded.input, options.registry),
	};
}

/**
 * The context steps are checked in while the plan is made. Their lines (retries while GitHub does
 * not answer) go to the log and to `progress`: no run view exists yet to show them.
 */
export function stepContext(
	session: Session,
	signal: AbortSignal,
	env: NodeJS.ProcessEnv,
	progress: (line: string) => void = () => undefined,
): StepContext {
	const output = (line: string) => {
		session.log.info(line);
		progress(session.log.redact(line));
	};

	return {
		input: session.input,
		signal,
		log: session.log,
		phases: session.phases,
		github: forStep(githubForRun(session.input, session.log), {
			signal,
			output,
		}),
		output,
		local: {
			nodeVersion: process.versions.node,
			home: session.home,
			agentSocket: env['SSH_AUTH_SOCK'],
		},
		known: session.known,
	};
}

/** A progress line on stderr, where progress goes (results go to stdout), above any wait shown. */
export const progressLine =
	(waits: Pick<Waits, 'line'>) =>
	(line: string): void => {
		waits.line(`  › ${line}`);
	};

/** The waits of a command, on stderr: one live line in a terminal, plain lines otherwise. */
export const waitsOn = (streams: Invocation['streams']): Waits =>
	createWaits(streams.stderr, {live: Boolean(streams.stderr.isTTY)});
