import {fieldByPath} from '../../config/fields.js';
import {keptSecretPaths} from '../../config/required.js';
import type {Phase} from '../../config/schema.js';

/** One wizard question: a field of the input, asked in the order of docs/how-it-works.md. */
export type Question = {
	path: string;
	title: string;
	kind: 'text' | 'secret' | 'choice' | 'key';
	/** Enter on an empty answer skips it. */
	optional: boolean;
	/** Shown under the title. */
	help?: string;
	/** Asked only in server mode (decided by an earlier answer). */
	serverOnly?: boolean;
	/** A platform secret the cluster keeps after the first install: not asked again then. */
	keptInCluster?: boolean;
	/** What a skipped answer means, for the review (when the field has no default to show). */
	whenSkipped?: string;
};

export const modeChoices = [
	{
		value: 'local',
		label: 'local',
		explain: 'one runner always waiting, no domain: staging through the server',
	},
	{
		value: 'server',
		label: 'server + domain',
		explain: 'runners per job, up to a maximum; public HTTPS on your domain',
	},
] as const;

type Entry = Omit<Question, 'kind' | 'optional'> & {
	optional?: boolean;
	/** Asked only when the run covers one of these phases. */
	phases?: readonly Phase[];
};

const gitHubPhases: readonly Phase[] = ['platform', 'runner', 'github'];

const catalog: readonly Entry[] = [
	{path: 'connection.host', title: 'Server address or ~/.ssh/config alias'},
	{path: 'connection.port', title: 'SSH port', optional: true},
	{path: 'connection.user', title: 'Login user', optional: true},
	{
		path: 'connection.identity',
		title: 'Key to log in with',
		optional: true,
		help: 'an ssh-agent key needs no passphrase; a key file’s is asked once, when connecting',
	},
	{path: 'mode', title: 'Runner mode'},
	{
		path: 'domain',
		title: 'Public domain of staging',
		serverOnly: true,
		help: 'every A and AAAA record must point at the server',
	},
	{path: 'acmeEmail', title: 'E-mail for Let’s Encrypt', serverOnly: true},
	// Local mode keeps exactly one runner waiting, so only server mode asks for the bounds.
	{
		path: 'runner.min',
		title: 'Runners always waiting for a job (minimum)',
		serverOnly: true,
		optional: true,
		phases: ['runner'],
		whenSkipped: '0 (default)',
		help: '0: none waits, so each job first waits for a runner pod to start; 1: one waits and a job starts at once. Enter: 0',
	},
	{
		path: 'runner.max',
		title: 'Runners at most at the same time (maximum)',
		serverOnly: true,
		optional: true,
		phases: ['runner'],
		whenSkipped: '2 (default)',
		help: 'more jobs wait for a free runner; each runner is a pod on the server. Enter: 2',
	},
	{
		path: 'github.repo',
		title: 'GitHub repository (owner/name)',
		phases: gitHubPhases,
	},
	{
		path: 'github.token',
		title: 'GitHub fine-grained token',
		phases: gitHubPhases,
		help: 'checked at once, read-only: the table shows what it may do',
	},
	{
		path: 'platform.ownerEmail',
		title: 'Owner e-mail of the platform',
		phases: ['platform'],
	},
	{
		path: 'platform.oauthClientId',
		title: 'GitHub OAuth app client id',
		phases: ['platform'],
	},
	{
		path: 'platform.oauthClientSecret',
		title: 'GitHub OAuth app client secret',
		phases: ['platform'],
	},
	{
		path: 'platform.gitBotToken',
		title: 'Token of the git bot account',
		phases: ['platform'],
	},
	{
		path: 'platform.openaiApiKey',
		title: 'OpenAI API key',
		optional: true,
		phases: ['platform'],
		help: 'skip it to give a Codex auth file instead (CODEXK8S_OPENAI_AUTH_FILE)',
	},
];

/**
 * The questions of a run: those of its phases, minus what the operator gave on the command line,
 * in the environment or a config file. Saved answers are asked again, pre-filled.
 */
export function questionsFor(
	phases: readonly Phase[],
	origins: ReadonlyMap<string, string>,
): Question[] {
	const chosen = new Set(phases);
	const given = (path: string) => {
		const origin = origins.get(path);
		return origin !== undefined && origin !== 'saved answers';
	};

	return catalog
		.filter(entry => !entry.phases || entry.phases.some(p => chosen.has(p)))
		.filter(entry => !given(entry.path))
		.map(({phases: _, ...entry}) => {
			const field = fieldByPath.get(entry.path);
			if (!field) {
				throw new Error(`the wizard asks for an unknown field ${entry.path}`);
			}

			return {
				...entry,
				optional: entry.optional ?? false,
				...(keptSecretPaths.includes(entry.path) ? {keptInCluster: true} : {}),
				kind:
					entry.path === 'connection.identity'
						? 'key'
						: field.kind === 'choice'
							? 'choice'
							: field.secret
								? 'secret'
								: 'text',
			};
		});
}
