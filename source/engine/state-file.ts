import {readFileSync} from 'node:fs';
import {z} from 'zod';
import {secretFields} from '../config/fields.js';
import {setPath, type Tree} from '../config/tree.js';
import {UserError} from '../errors.js';

export const stateVersion = 1;

const runSchema = z.object({
	id: z.string(),
	command: z.string(),
	startedAt: z.string(),
	finishedAt: z.string().optional(),
	outcome: z.enum(['running', 'ok', 'failed', 'interrupted']),
	changes: z.number().optional(),
	/** The phases of `--only`, so `resume` continues the same selection. */
	only: z.array(z.string()).optional(),
	/**
	 * This run's flags and variables (never secrets), so `resume` continues it as it was started;
	 * they are not the target's saved answers and apply to no other run.
	 */
	answers: z.record(z.string(), z.unknown()).optional(),
});

const targetSchema = z.object({
	answers: z.record(z.string(), z.unknown()).default({}),
	hostKey: z.string().optional(),
	runs: z.array(runSchema).default([]),
	steps: z
		.record(
			z.string(),
			z.object({completedAt: z.string(), fingerprint: z.string()}),
		)
		.default({}),
	lastFailure: z
		.object({
			stepId: z.string(),
			message: z.string(),
			hint: z.string().optional(),
			at: z.string(),
		})
		.optional(),
});

const fileSchema = z.object({
	version: z.literal(stateVersion),
	targets: z.record(z.string(), targetSchema).default({}),
});

export type Run = z.infer<typeof runSchema>;
export type TargetState = z.infer<typeof targetSchema>;
export type StateFile = z.infer<typeof fileSchema>;

/** A migration turns the document of version `from` into version `from + 1`. */
export type Migration = {from: number; migrate: (document: Tree) => Tree};

/** Every state format change adds one entry here (and a test with a file of the old shape). */
export const migrations: readonly Migration[] = [];

/** The state of one target is keyed by who connects where. */
export const targetKey = (target: {
	user?: string;
	host: string;
	port?: number;
}) => `${target.user ?? 'root'}@${target.host}:${target.port ?? 22}`;

export function migrate(
	document: Tree,
	list: readonly Migration[] = migrations,
): Tree {
	let current = document;
	let version = typeof current['version'] === 'number' ? current['version'] : 0;
	if (version > stateVersion) {
		throw new UserError(
			`The state file was written by a newer codex-k8s-install (format ${version}, this one reads ${stateVersion})`,
			{
				hint: 'Run the newer version, or move the state file away to start over (the host keeps its own state).',
			},
		);
	}

	while (version < stateVersion) {
		const from = version;
		const step = list.find(migration => migration.from === from);
		if (!step) {
			throw new Error(`no state migration from format ${version}`);
		}

		current = {...step.migrate(current), version: version + 1};
		version++;
	}

	return current;
}

/** Drops every secret field from answers before they are written. */
export function withoutSecrets(answers: Tree): Tree {
	const copy = structuredClone(answers);
	for (const field of secretFields) {
		setPath(copy, field.path, undefined);
	}

	return copy;
}

/** Parse a state document of any known version, or undefined when it is not one. */
export function parseState(
	document: Tree,
	list: readonly Migration[] = migrations,
): StateFile | undefined {
	const parsed = fileSchema.safeParse(
		migrate({version: stateVersion, ...document}, list),
	);
	return parsed.success ? parsed.data : undefined;
}

/**
 * Read access to the state, shared by the read-only view below and the writable store. Read-only
 * commands (`plan`) use the view, which never loads conf: it keeps their start-up fast.
 */
export class StateReader {
	protected document: StateFile;

	constructor(document: StateFile) {
		this.document = document;
	}

	target(key: string): TargetState {
		return targetSchema.parse(this.document.targets[key] ?? {});
	}

	/** The last run that did not finish well, if the target has one: what `resume` continues. */
	unfinished(key: string): Run | undefined {
		const last = this.target(key).runs.at(-1);
		return last && last.outcome !== 'ok' ? last : undefined;
	}

	completions(key: string): Map<string, string> {
		return new Map(
			Object.entries(this.target(key).steps).map(([id, record]) => [
				id,
				record.fingerprint,
			]),
		);
	}

	keys(): string[] {
		return Object.keys(this.document.targets);
	}

	/** The target of the latest run started, when there was one. */
	lastTarget(): string | undefined {
		let last: {key: string; at: string} | undefined;
		for (const key of this.keys()) {
			const at = this.target(key).runs.at(-1)?.startedAt;
			if (at !== undefined && (last === undefined || at > last.at)) {
				last = {key, at};
			}
		}

		return last?.key;
	}
}

/** The state file as it is now, read-only; a missing or unreadable file reads as empty. */
export function readState(file: string): StateReader {
	let document: StateFile | undefined;
	try {
		document = parseState(JSON.parse(readFileSync(file, 'utf8')) as Tree);
	} catch (error) {
		if (error instanceof UserError) {
			throw error;
		}
	}

	return new StateReader(document ?? {version: stateVersion, targets: {}});
}
