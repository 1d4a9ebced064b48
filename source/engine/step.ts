import type {Input, Phase} from '../config/schema.js';
import type {Known} from '../config/required.js';
import type {GitHub} from '../github/client.js';
import type {Kube} from '../kube/index.js';
import type {Logger} from '../log.js';
import type {Host, ProbeSet} from './host.js';

/**
 * What a step's read-only `check` found.
 * - `done`: nothing to do.
 * - `new` / `change`: the changes `apply` would make (nothing there yet / something differs).
 * - `blocked`: the step cannot proceed; the run stops before any change.
 * - `skipped`: does not apply here (for example "skipped in container").
 * - `unknown`: not checked, because the plan was made offline.
 */
export type Finding =
	| {kind: 'done'; note?: string}
	| {kind: 'new' | 'change'; changes: string[]}
	| {kind: 'blocked'; problem: string; hint?: string}
	| {kind: 'skipped'; reason: string}
	| {kind: 'unknown'; reason: string};

/**
 * What a step needs to read in `check`: offline plans only check `local` steps. A `cluster` step
 * talks to the Kubernetes API (from the laptop through the host's SSH connection).
 */
export type Reach = 'local' | 'host' | 'cluster' | 'github';

/**
 * Everything a step may use, and the only place run state travels: no module keeps any. Fields
 * are injected so tests pass fakes or real guests.
 */
export type StepContext = {
	input: Input;
	signal: AbortSignal;
	log: Logger;
	/** A line of progress (remote output), shown live and written to the log. */
	output: (line: string) => void;
	/**
	 * The target host (its session, the facts read from it, the login proof); present whenever a
	 * `host` step is checked or applied.
	 */
	host?: Host;
	/**
	 * The run's GitHub client for the repository, made on first use (one per run, so throttling is
	 * shared by the steps); throws a UserError when the repository or token is missing.
	 */
	github: () => GitHub;
	/**
	 * The cluster's API when it is not reached through `host` (inside the cluster, with the pod's
	 * service account). Steps ask `kubeOf(context)` in steps/kit.ts, which picks.
	 */
	kube?: () => Promise<Kube>;
	/** The phases this run covers (all, or those of `--only`). */
	phases: readonly Phase[];
	/** Facts about the machine the installer runs on. */
	local: {nodeVersion: string; home: string; agentSocket?: string};
	/** What this computer's record says about the target (an earlier run kept the platform's secrets). */
	known?: Known;
};

export type Step = {
	/** Stable id such as `host.operator-user`: state and logs key on it. */
	id: string;
	phase: Phase;
	title: string;
	reach: Reach;
	/**
	 * For a preflight check made here that prepares work elsewhere (the login key is read locally
	 * for the host's work): that reach. The check is selected only when the run has such work.
	 */
	serves?: Reach;
	/** Mode gating: a step without `when` runs in both modes. */
	when?: (input: Input) => boolean;
	/**
	 * Phases whose work this step relies on (the deploy run needs the platform and a runner). While
	 * this version lacks one of them, the plan lists the step as skipped and says why.
	 */
	requires?: readonly Phase[];
	/** The non-secret inputs the step depends on; a change invalidates its saved completion. */
	inputs?: (input: Input) => unknown;
	check: (context: StepContext) => Promise<Finding>;
	/** The host facts `check` reads: the planner fetches those of every step in one round trip. */
	probes?: (input: Input) => ProbeSet;
	/**
	 * For checks that cost real time (dispatching a workflow run): once completed, the saved
	 * completion is trusted until the step's inputs change; then it is checked again.
	 */
	checkOnce?: boolean;
	/**
	 * The step waits for the host to settle (another apt run, cloud-init): once it did, what the
	 * steps after it found in the plan may be out of date, so they are checked again before they run.
	 */
	replansLater?: boolean;
	/**
	 * Idempotent; makes exactly the changes `check` reported. Absent for pure checks. It may return
	 * one line for the summary (a run's URL).
	 */
	apply?: (context: StepContext, finding: Finding) => Promise<string | void>;
	/** Proves the result after `apply`. */
	verify?: (context: StepContext) => Promise<void>;
	/** Plain-language lines for the plan view and the runbook. */
	describe: (input: Input) => string[];
	/**
	 * The step's runbook section: how an operator checks its result by hand and fixes or redoes it
	 * (commands with this installation's values). Every step of the registry has one (a test).
	 */
	runbook?: (input: Input) => RunbookEntry;
	/** How `uninstall` takes back what `apply` made; absent when there is nothing to take back. */
	remove?: Removal;
};

/** A step's own part of the runbook; the runbook adds what it does and how to resume. */
export type RunbookEntry = {check: string[]; fix: string[]};

/**
 * What `uninstall` kept unless the operator asks for it (`--remove hardening,operator,github`):
 * the operator's login and the host's protection stay by default, so do the repository's files.
 */
export type Keepable = 'hardening' | 'operator' | 'github';

/**
 * Uninstall walks the registry backwards with each step's removal: `check` is read-only and says
 * what would go (empty: nothing of the step's is left, so a second uninstall changes nothing).
 */
export type Removal = {
	check: (context: StepContext) => Promise<string[]>;
	apply: (context: StepContext) => Promise<void>;
	/** Kept unless asked for; absent: removed by every uninstall. */
	keptUnless?: Keepable;
	/** What stays on the host even after removal, said in the uninstall's list of what was left. */
	leaves?: (input: Input) => string[];
};

/** Result status of a step in a run, as reported with `--json`. */
export type StepStatus =
	'done' | 'changed' | 'would-change' | 'skipped' | 'failed';
