import {Buffer} from 'node:buffer';
import {createHash} from 'node:crypto';
import sodium from 'libsodium-wrappers';
import type {PlannedJob} from './runs.js';

/** What the stand-in repository holds. Secrets stay sealed; `reveal` opens them for assertions. */

export type StoredSecret = {
	sealed: string;
	keyId: string;
	createdAt: string;
	updatedAt: string;
};
export type StoredVariable = {
	value: string;
	createdAt: string;
	updatedAt: string;
};
export type StoredLabel = {
	id: number;
	name: string;
	description: string | undefined;
	color: string;
};
export type StoredHook = {
	id: number;
	active: boolean;
	events: string[];
	config: {
		url: string;
		content_type: string;
		insecure_ssl: string;
		secret?: string;
	};
	createdAt: string;
	updatedAt: string;
};
export type Delivery = {
	id: number;
	hookId: number;
	event: string;
	statusCode: number;
	deliveredAt: string;
};
export type Runner = {
	id: number;
	name: string;
	status: 'online' | 'offline';
	busy: boolean;
	labels: string[];
};
export type Run = {
	id: number;
	workflowId: number;
	event: string;
	branch: string;
	headSha: string;
	/** The jobs of the workflow file, as dispatched. */
	jobs: PlannedJob[];
	/** How far the run got (see runs.ts). */
	stage: number;
	conclusion: 'success' | 'failure';
	createdAt: string;
	/** With a job player: how each started job ended, once it did. */
	played?: Array<'success' | 'failure' | undefined>;
	/** With a job player: the job that failed. */
	failedJob?: number;
};

/**
 * Plays one job of a run as a runner would (the harness runs the built CLI's command of that job
 * against the test cluster); resolves true when it succeeded. Without one, jobs end as
 * `nextConclusion` says.
 */
export type JobPlayer = (job: PlannedJob, run: Run) => Promise<boolean>;
export type PullRequest = {
	number: number;
	head: string;
	base: string;
	title: string;
};

export type RepoState = {
	owner: string;
	name: string;
	defaultBranch: string;
	isAdmin: boolean;
	keyId: string;
	publicKey: Uint8Array;
	privateKey: Uint8Array;
	secrets: Map<string, StoredSecret>;
	variables: Map<string, StoredVariable>;
	labels: Map<string, StoredLabel>;
	files: Map<string, string>;
	branches: Map<string, string>;
	protectedBranches: Set<string>;
	/**
	 * Ruleset rules by branch (`pull_request`, `update` …). They refuse direct commits with 409;
	 * whether the branch also shows as `protected` is `protectedBranches`' say (GitHub varies).
	 */
	rules: Map<string, string[]>;
	/** False: the rules endpoint answers 404, as on a GitHub Enterprise Server without rulesets. */
	rulesApi: boolean;
	pulls: PullRequest[];
	hooks: StoredHook[];
	deliveries: Delivery[];
	runners: Runner[];
	runs: Run[];
	/** What a dispatched run ends with. */
	nextConclusion: 'success' | 'failure';
	/** Set by a test: jobs are played by it, and the run ends as they did. */
	jobPlayer?: JobPlayer;
	/**
	 * The status code every webhook delivery gets. Unset, deliveries really go to the hook's URL,
	 * signed with its secret, and record what the receiver answered.
	 */
	deliveryStatus?: number;
	nextId: number;
};

export async function createRepoState(slug: string): Promise<RepoState> {
	await sodium.ready;
	const keys = sodium.crypto_box_keypair();
	const [owner = '', name = ''] = slug.split('/');
	return {
		owner,
		name,
		defaultBranch: 'main',
		isAdmin: true,
		keyId: '568250167242549743',
		publicKey: keys.publicKey,
		privateKey: keys.privateKey,
		secrets: new Map(),
		variables: new Map(),
		labels: new Map(),
		files: new Map([['README.md', '# demo\n']]),
		branches: new Map([['main', sha('initial')]]),
		protectedBranches: new Set(),
		rules: new Map(),
		rulesApi: true,
		pulls: [],
		hooks: [],
		deliveries: [],
		runners: [],
		runs: [],
		nextConclusion: 'success',
		nextId: 100,
	};
}

export function sha(text: string): string {
	return createHash('sha1').update(text).digest('hex');
}

/** Git's blob sha, as the contents API reports it. */
export function blobSha(content: string): string {
	const bytes = Buffer.from(content);
	return createHash('sha1')
		.update(`blob ${bytes.length}\0`)
		.update(bytes)
		.digest('hex');
}

export function publicKeyBase64(state: RepoState): string {
	return Buffer.from(state.publicKey).toString('base64');
}

/** Opens a sealed secret with the stand-in's private key; throws if the box is not sound. */
export function openSealed(state: RepoState, sealed: string): string {
	const opened = sodium.crypto_box_seal_open(
		Buffer.from(sealed, 'base64'),
		state.publicKey,
		state.privateKey,
	);
	return Buffer.from(opened).toString('utf8');
}

export function reveal(state: RepoState, name: string): string | undefined {
	const stored = state.secrets.get(name);
	return stored ? openSealed(state, stored.sealed) : undefined;
}
