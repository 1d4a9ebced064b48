import {copyFileSync, existsSync, renameSync} from 'node:fs';
import {join} from 'node:path';
import {isDeepStrictEqual} from 'node:util';
import Conf from 'conf';
import type {Tree} from '../config/tree.js';
import {
	parseState,
	StateReader,
	stateVersion,
	withoutSecrets,
	type Migration,
	type Run,
	type StateFile,
	type TargetState,
} from './state-file.js';

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

const maxRuns = 20;

/**
 * Local, non-secret memory of installs (conf, in a per-user config dir or `--state-dir`).
 * The host stays the source of truth; this only remembers answers, runs and step completions.
 */
export class StateStore extends StateReader {
	readonly file: string;
	private readonly conf: Conf<StateFile>;

	constructor(options: {directory: string; migrations?: readonly Migration[]}) {
		const file = join(options.directory, 'state.json');
		const conf = openConf(options.directory, file);
		const parsed = parseState(conf.store, options.migrations);
		if (!parsed && existsSync(file)) {
			copyFileSync(file, `${file}.invalid-${Date.now()}`);
		}

		super(parsed ?? {version: stateVersion, targets: {}});
		this.file = file;
		this.conf = conf;
		// Written only when reading changed it (set aside, migrated): opening alone changes nothing.
		// A clone: conf's objects have no prototype, which deep equality would count as a difference.
		const onDisk = structuredClone(conf.store);
		if (existsSync(file) && !isDeepStrictEqual(onDisk, this.document)) {
			this.conf.store = this.document;
		}
	}

	saveAnswers(key: string, answers: Tree): void {
		this.update(key, target => {
			target.answers = withoutSecrets(answers);
		});
	}

	startRun(
		key: string,
		command: string,
		{only, answers}: {only?: readonly string[]; answers?: Tree} = {},
		now = new Date(),
	): string {
		const id = now.toISOString();
		this.update(key, target => {
			const run = {
				id,
				command,
				startedAt: id,
				outcome: 'running' as const,
				...(only ? {only: [...only]} : {}),
				...(answers && Object.keys(answers).length > 0
					? {answers: withoutSecrets(answers)}
					: {}),
			};
			target.runs = [...target.runs, run].slice(-maxRuns);
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

	/** Forgets a run that did nothing (declined at the prompt): an earlier unfinished run stays resumable. */
	dropRun(key: string, id: string): void {
		this.update(key, target => {
			target.runs = target.runs.filter(run => run.id !== id);
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

	/** After `uninstall`: the steps whose work was taken back are no longer completed. */
	forgetSteps(key: string, stepIds: readonly string[]): void {
		this.update(key, target => {
			for (const id of stepIds) {
				// eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- step ids are the record's keys
				delete target.steps[id];
			}
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

	private update(key: string, change: (target: TargetState) => void): void {
		const target = this.target(key);
		change(target);
		this.document = {
			...this.document,
			targets: {...this.document.targets, [key]: target},
		};
		this.conf.store = this.document;
	}
}
