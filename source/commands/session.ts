import {homedir} from 'node:os';
import {join} from 'node:path';
import {text} from 'node:stream/consumers';
import {secretFields} from '../config/fields.js';
import {
	readLayers,
	resolveLayers,
	savedLayer,
	type Layer,
	type Loaded,
} from '../config/load.js';
import {phases, type Input, type Phase} from '../config/schema.js';
import {expandHome, getPath, type Tree} from '../config/tree.js';
import {createLogger, type Logger} from '../log.js';
import {assertDirectoryPath, assertFilePath} from '../local/paths.js';
import {parsePhases, selectSteps} from '../engine/registry.js';
import type {Run, StateReader} from '../engine/state-file.js';
import type {Step, StepContext} from '../engine/step.js';
import {forStep, githubForRun} from '../github/context.js';
import {offerResume, phasesToRun} from './install-gates.js';
import {interruptedRun, targetKeyOf} from './saved-answers.js';
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

/** The operator's answers for the wizard's layer, or the choice to resume the unfinished run. */
export type Asked = {answers?: Tree; resume?: boolean} | undefined;

export type SessionOptions<State extends StateReader> = {
	/** How to open the state: read-only for `plan`, the writable store for runs. */
	openState: (directory: string) => State;
	registry: readonly Step[];
	/** Log to a file even without --log-file (runs that change things always log). */
	alwaysLog: boolean;
	/** Use the answers of the last unfinished run when no host is given. */
	resume?: boolean;
	/**
	 * Runs (install, resume) cover the phases this version has and refuse an `--only` naming
	 * another; `plan` shows every phase.
	 */
	builtPhasesOnly?: boolean;
	/**
	 * Ask the operator once the given answers are known: offer to resume an unfinished run, else
	 * the wizard, whose answers become the top layer.
	 */
	ask?: boolean;
};

type Unfinished = Run & {key: string; failedStep?: string};

function phaseSelection(
	options: Pick<SessionOptions<StateReader>, 'registry' | 'builtPhasesOnly'>,
	only: Phase[] | undefined,
): {phases: Phase[]; later: Phase[]; notice?: string} {
	return options.builtPhasesOnly
		? phasesToRun(options.registry, only)
		: {phases: only ?? [...phases], later: []};
}

/** The operator's answers for the wizard's layer, or the choice to resume the unfinished run. */
async function askOperator(
	invocation: Invocation,
	loaded: Loaded,
	wizardPhases: Phase[],
	unfinished: Unfinished | undefined,
): Promise<Asked> {
	if (unfinished && (await offerResume(invocation, unfinished))) {
		return {resume: true};
	}

	const {askWizard} = await import('./wizard.js');
	return {answers: await askWizard(invocation, loaded, wizardPhases)};
}

const selectedPhases = (
	flags: Invocation['flags'],
	savedOnly: readonly string[] | undefined,
): Phase[] | undefined =>
	typeof flags['only'] === 'string'
		? parsePhases(flags['only'])
		: savedOnly && parsePhases(savedOnly.join(','));

/**
 * The given layers, joined by the answers saved for the target and, when the caller asks (the
 * wizard), by the operator's answers on top; and the phases selected.
 */
async function answerLayers(
	store: StateReader,
	given: Layer[],
	invocation: Invocation,
	options: Pick<
		SessionOptions<StateReader>,
		'resume' | 'ask' | 'registry' | 'builtPhasesOnly'
	>,
): Promise<{loaded: Loaded; key?: string; only?: Phase[]}> {
	const {flags, env} = invocation;
	const home = env['HOME'] ?? homedir();
	const keyOf = (input: Input) => targetKeyOf(input, home);
	let key = keyOf(resolveLayers(given).input);
	if (!key && options.resume) {
		key = store.keys().find(candidate => store.unfinished(candidate));
	}

	// Resuming continues the unfinished run with the flags and variables it was started with.
	let resuming = Boolean(options.resume);
	const withSaved = (layers: Layer[], target: string | undefined) => {
		const saved = target ? store.target(target).answers : {};
		const ofRun = resuming && target ? store.unfinished(target)?.answers : {};
		return [
			...(Object.keys(saved).length > 0 ? [savedLayer(saved)] : []),
			...(ofRun && Object.keys(ofRun).length > 0
				? [{...savedLayer(ofRun), origin: interruptedRun}]
				: []),
			...layers,
		];
	};

	let loaded = resolveLayers(withSaved(given, key));
	key = keyOf(loaded.input) ?? key;
	const unfinished = key ? store.unfinished(key) : undefined;
	let only = selectedPhases(
		flags,
		options.resume ? unfinished?.only : undefined,
	);
	const asked = options.ask
		? await askOperator(
				invocation,
				loaded,
				phaseSelection(options, only).phases,
				unfinished && key
					? {
							...unfinished,
							key,
							failedStep: store.target(key).lastFailure?.stepId,
						}
					: undefined,
			)
		: undefined;
	if (asked?.resume) {
		only = selectedPhases(flags, unfinished?.only);
		resuming = true;
		loaded = resolveLayers(withSaved(given, key));
	}

	if (asked?.answers) {
		// The host may be new: its saved answers sit under what was given and answered.
		const layers = [...given, {origin: 'wizard', values: asked.answers}];
		const target = keyOf(resolveLayers(layers).input);
		loaded = resolveLayers(withSaved(layers, target));
		key = target ?? key;
	}

	return {loaded, key, only};
}

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
	const {loaded, key, only} = await answerLayers(
		store,
		given,
		invocation,
		options,
	);

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
	};
}

/** A progress line on stderr, where progress goes (results go to stdout). */
export const progressLine =
	(stderr: NodeJS.WritableStream) =>
	(line: string): void => {
		stderr.write(`  › ${line}\n`);
	};
