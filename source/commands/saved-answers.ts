import type {Loaded} from '../config/load.js';
import {fields} from '../config/fields.js';
import type {Input} from '../config/schema.js';
import {getPath, setPath, type Tree} from '../config/tree.js';
import {targetKey} from '../engine/state-file.js';
import {resolveTarget} from '../remote/target.js';

/**
 * The target's key names the port and user the connection really uses: an ~/.ssh/config alias
 * brings its own (`Port 2222`). A config ssh cannot read is reported when connecting.
 */
export function targetKeyOf(
	connection: Input['connection'],
	home: string,
): string | undefined {
	const {host, port, user} = connection;
	if (!host) {
		return undefined;
	}

	try {
		const target = resolveTarget(connection, {home});
		return targetKey({host, port: target.port, user: target.user});
	} catch {
		return targetKey({host, port, user});
	}
}

/** Where an answer the operator chose to keep comes from: the wizard or a config file. */
const kept = (origin: string) =>
	origin === 'wizard' || origin.startsWith('config file');

const nonSecretAnswers = (
	{input, origins}: Loaded,
	wanted: (origin: string) => boolean,
	base: Tree = {},
): Tree => {
	const tree: Tree = structuredClone(base);
	for (const field of fields) {
		const origin = origins.get(field.path);
		if (origin !== undefined && wanted(origin) && !field.secret) {
			setPath(tree, field.path, getPath(input, field.path));
		}
	}

	return tree;
};

/**
 * The answers worth remembering for the target: what the operator chose in the wizard or a config
 * file, over those saved before. One run's flags and variables stay that run's (see answersOfRun).
 */
export const answersToSave = (loaded: Loaded, saved: Tree = {}): Tree =>
	nonSecretAnswers(loaded, kept, saved);

export const interruptedRun = 'the interrupted run';

/** This run's flags and variables, kept with the run only so that `resume` continues it as started. */
export const answersOfRun = (loaded: Loaded): Tree =>
	nonSecretAnswers(
		loaded,
		origin =>
			origin.startsWith('command line') ||
			origin.startsWith('environment') ||
			origin === interruptedRun,
	);
