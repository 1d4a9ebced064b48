import {copyFileSync, existsSync, renameSync} from 'node:fs';
import {join} from 'node:path';
import Conf from 'conf';
import {z} from 'zod';
import {secretFields} from '../config/fields.js';
import {setPath, type Tree} from '../config/tree.js';
import {UserError} from './errors.js';

export const stateVersion = 1;

const runSchema = z.object({
	id: z.string(),
	command: z.string(),
	startedAt: z.string(),
	finishedAt: z.string().optional(),
	outcome: z.enum(['running', 'ok', 'failed', 'interrupted']),
	changes: z.number().optional(),
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
type StateFile = z.infer<typeof fileSchema>;

/** A migration turns the document of version `from` into version `from + 1`. */
export type Migration = {from: number; migrate: (document: Tree) => Tree};

/** Every state format change adds one entry here (and a test with a file of the old shape). */
export const migrations: readonly Migration[] = [];

const maxRuns = 20;

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

function openConf(directory: string, file: string): Conf<StateFile> {
	const options = {
		cwd: directory,
		configName: 'state',
		configFileMode: 0o600,
		clearInvalidConfig: false,
	};
	try {
		return new Conf<StateFile>({
			...options,
			projectName: 'codex-k8s-install',
		});
	} catch {
		// An unreadable file is kept aside for the operator, never silently lost.
		if (existsSync(file)) {
			renameSync(file, `${file}.invalid-${Date.now()}`);
		}

		return new Conf<StateFile>({
			...options,
			projectName: 'codex-k8s-install',
		});
	}
}

/**
 * Local, non-secret memory of installs (conf, in a per-user config dir or `--state-dir`).
 * The host stays the source of truth; this only remembers answers, runs and step completions.
 */
export class StateStore {
	readonly file: string;
	private readonly conf: Conf<StateFile>;

	constructor(options: {directory: string; migrations?: readonly Migration[]}) {
		this.file = join(options.directory, 'state.json');
		this.conf = openConf(options.directory, this.file);
		const raw = this.conf.store as unknown as Tree;
		const parsed = fileSchema.safeParse(
			migrate({version: stateVersion, ...raw}, options.migrations),
		);
		if (parsed.success) {
			this.conf.store = parsed.data;
		} else {
			this.quarantine();
			this.conf.store = {version: stateVersion, targets: {}};
		}
	}

	target(key: string): TargetState {
		return targetSchema.parse(this.conf.store.targets[key] ?? {});
	}

	saveAnswers(key: string, answers: Tree): void {
		this.update(key, target => {
			target.answers = withoutSecrets(answers);
		});
	}

	startRun(key: string, command: string, now = new Date()): string {
		const id = now.toISOString();
		this.update(key, target => {
			target.runs = [
				...target.runs,
				{id, command, startedAt: id, outcome: 'running' as const},
			].slice(-maxRuns);
		});
		return id;
	}

	finishRun(
		key: string,
		id: string,
		{outcome, changes}: Pick<Run, 'outcome' | 'changes'>,
		now = new Date(),
	): void {
		this.update(key, target => {
			target.runs = target.runs.map(run =>
				run.id === id
					? {...run, outcome, changes, finishedAt: now.toISOString()}
					: run,
			);
			if (outcome === 'ok') {
				delete target.lastFailure;
			}
		});
	}

	stepCompleted(
		key: string,
		stepId: string,
		fingerprint: string,
		now = new Date(),
	): void {
		this.update(key, target => {
			target.steps[stepId] = {completedAt: now.toISOString(), fingerprint};
		});
	}

	stepFailed(
		key: string,
		failure: {stepId: string; message: string; hint?: string},
		now = new Date(),
	): void {
		this.update(key, target => {
			target.lastFailure = {...failure, at: now.toISOString()};
		});
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
		return Object.keys(this.conf.store.targets);
	}

	private quarantine(): void {
		if (existsSync(this.file)) {
			copyFileSync(this.file, `${this.file}.invalid-${Date.now()}`);
		}
	}

	private update(key: string, change: (target: TargetState) => void): void {
		const target = this.target(key);
		change(target);
		this.conf.set('targets', {...this.conf.store.targets, [key]: target});
	}
}
