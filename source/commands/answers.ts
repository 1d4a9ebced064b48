import {
	connectionOf,
	resolveLayers,
	savedLayer,
	type Layer,
	type Loaded,
} from '../config/load.js';
import {phases, type Phase} from '../config/schema.js';
import type {Tree} from '../config/tree.js';
import {parsePhases} from '../engine/registry.js';
import type {Run, StateReader} from '../engine/state-file.js';
import type {Step} from '../engine/step.js';
import {offerResume, phasesToRun} from './install-gates.js';
import {knownOf} from './kept-secrets.js';
import {interruptedRun, targetKeyOf} from './saved-answers.js';
import type {Invocation} from './index.js';

export type AnswerOptions = {
	registry: readonly Step[];
	/**
	 * Runs (install, resume) cover the phases this version has and refuse an `--only` naming
	 * another; `plan` shows every phase.
	 */
	builtPhasesOnly?: boolean;
	/** Use the answers of the last unfinished run when no host is given. */
	resume?: boolean;
	/**
	 * Ask the operator once the given answers are known: offer to resume an unfinished run, else
	 * the wizard, whose answers become the top layer.
	 */
	ask?: boolean;
	/** This computer's home directory, read once by the session. */
	home: string;
};

/** The operator's answers for the wizard's layer, or the choice to resume the unfinished run. */
type Asked = {answers?: Tree; resume?: boolean} | undefined;

type Unfinished = Run & {key: string; failedStep?: string};

/** The phases a run covers: runs of built phases only leave the others for later and say so. */
export function phaseSelection(
	options: Pick<AnswerOptions, 'registry' | 'builtPhasesOnly'>,
	only: Phase[] | undefined,
): {phases: Phase[]; later: Phase[]; notice?: string} {
	return options.builtPhasesOnly
		? phasesToRun(options.registry, only)
		: {phases: only ?? [...phases], later: []};
}

/** The operator's answers for the wizard's layer, or the choice to resume the unfinished run. */
async function askOperator(
	invocation: Invocation,
	asking: {
		loaded: Loaded;
		wizardPhases: Phase[];
		unfinished: Unfinished | undefined;
		home: string;
		secretsKept: (answers: Readonly<Record<string, string>>) => boolean;
	},
): Promise<Asked> {
	const {loaded, wizardPhases, unfinished, home} = asking;
	if (unfinished && (await offerResume(invocation, unfinished))) {
		return {resume: true};
	}

	const {askWizard} = await import('./wizard.js');
	return {
		answers: await askWizard(invocation, loaded, wizardPhases, {
			home,
			secretsKept: asking.secretsKept,
		}),
	};
}

/**
 * Whether the target the wizard's answers name so far keeps the platform's secrets (this
 * computer's record of it): the wizard then does not ask for them, as the install will not need them.
 */
const secretsKeptFor =
	(store: StateReader, loaded: Loaded, options: AnswerOptions) =>
	(answers: Readonly<Record<string, string>>): boolean => {
		const {connection} = loaded.input;
		// A skipped answer is '': the given or default value stands.
		const answered = (path: string) =>
			answers[path] === '' ? undefined : answers[path];
		const port = answered('connection.port');
		const key = targetKeyOf(
			{
				...connection,
				host: answered('connection.host') ?? connection.host,
				port: port ? Number(port) : connection.port,
				user: answered('connection.user') ?? connection.user,
			},
			options.home,
		);
		return Boolean(
			knownOf(store, key, loaded.input, options.registry).platformSecretsKept,
		);
	};

/** `layers` over the answers saved for `target` and, when resuming, those its unfinished run had. */
function layersWithSaved(
	store: StateReader,
	layers: readonly Layer[],
	target: string | undefined,
	resuming: boolean,
): Layer[] {
	const saved = target ? store.target(target).answers : {};
	const ofRun = resuming && target ? store.unfinished(target)?.answers : {};
	return [
		...(Object.keys(saved).length > 0 ? [savedLayer(saved)] : []),
		...(ofRun && Object.keys(ofRun).length > 0
			? [{...savedLayer(ofRun), origin: interruptedRun}]
			: []),
		...layers,
	];
}

/**
 * What the wizard starts from when no host was given: the answers saved for the last target a run
 * went to, pre-filled to keep or change, under what was given.
 */
export const wizardStart = (store: StateReader, given: readonly Layer[]) =>
	resolveLayers(layersWithSaved(store, given, store.lastTarget(), false));

const selectedPhases = (
	flags: Invocation['flags'],
	savedOnly: readonly string[] | undefined,
): Phase[] | undefined =>
	typeof flags['only'] === 'string'
		? parsePhases(flags['only'])
		: savedOnly && parsePhases(savedOnly.join(','));

/**
 * The answers in one line: the given layers (read once), the answers saved for the target they
 * name, then — when the caller asks — the resume offer or the wizard, whose answers go on top.
 * The layers are resolved once before asking (a bad given answer stops before any question, and
 * the wizard starts from the result) and once more only when the operator answered.
 */
export async function answerLayers(
	store: StateReader,
	given: Layer[],
	invocation: Invocation,
	options: AnswerOptions,
): Promise<{loaded: Loaded; key?: string; only?: Phase[]}> {
	const {flags} = invocation;
	const targetOf = (layers: readonly Layer[]) => {
		const connection = connectionOf(layers);
		return connection && targetKeyOf(connection, options.home);
	};

	let key =
		targetOf(given) ??
		(options.resume
			? store.keys().find(candidate => store.unfinished(candidate))
			: undefined);
	// Resuming continues the unfinished run with the flags and variables it was started with.
	let resuming = Boolean(options.resume);
	const withSaved = (layers: Layer[], target: string | undefined) =>
		layersWithSaved(store, layers, target, resuming);

	const loaded = resolveLayers(withSaved(given, key));
	const unfinished = key ? store.unfinished(key) : undefined;
	let only = selectedPhases(
		flags,
		options.resume ? unfinished?.only : undefined,
	);
	const wizardLoaded = key ? loaded : wizardStart(store, given);
	const asked = options.ask
		? await askOperator(invocation, {
				loaded: wizardLoaded,
				secretsKept: secretsKeptFor(store, wizardLoaded, options),
				wizardPhases: phaseSelection(options, only).phases,
				unfinished:
					unfinished && key
						? {
								...unfinished,
								key,
								failedStep: store.target(key).lastFailure?.stepId,
							}
						: undefined,
				home: options.home,
			})
		: undefined;
	if (asked?.resume) {
		only = selectedPhases(flags, unfinished?.only);
		resuming = true;
		return {loaded: resolveLayers(withSaved(given, key)), key, only};
	}

	if (asked?.answers) {
		// The host may be new: its saved answers sit under what was given and answered.
		const answered = [...given, {origin: 'wizard', values: asked.answers}];
		key = targetOf(answered) ?? key;
		return {loaded: resolveLayers(withSaved(answered, key)), key, only};
	}

	return {loaded, key, only};
}
