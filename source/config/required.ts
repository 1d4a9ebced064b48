import {fieldByPath, howToSet, type Field} from './fields.js';
import type {Input, Phase} from './schema.js';
import {getPath} from './tree.js';

/** An answer the chosen phases need and nobody gave. */
export type MissingAnswer = {
	field: Field;
	/** Any one of these instead answers it too (the OpenAI key or the Codex auth file). */
	alternatives: readonly Field[];
	/** Every way to give it: `--host or CODEXK8S_HOST or connection.host in the config file`. */
	how: string;
};

type Need = {
	path: string;
	or?: string;
	when: (input: Input, phases: ReadonlySet<Phase>) => boolean;
	/**
	 * A secret only the operator knows that the platform phase keeps in the cluster: needed on the
	 * first install, kept (not asked again) once the platform's Secrets hold it.
	 */
	keptInCluster?: true;
};

/** What the caller knows about the target before connecting (this computer's record of it). */
export type Known = {
	/**
	 * An earlier run wrote the platform's Secrets to this cluster: what they hold is kept there,
	 * so the operator's platform secrets are not needed again (platform.secrets still checks the
	 * cluster holds them, and blocks with the fix when it does not).
	 */
	platformSecretsKept?: boolean;
};

const always = () => true;
const inPhase =
	(...wanted: Phase[]) =>
	(_input: Input, phases: ReadonlySet<Phase>) =>
		wanted.some(phase => phases.has(phase));
const serverMode = (input: Input) => input.mode === 'server';

/*
 * Every phase talks to the host, and the host phase already depends on the mode (the firewall
 * opens 80/443 only in server mode), so host, mode and, in server mode, domain and e-mail are
 * always needed. The repository and token are needed by every phase that touches GitHub: platform
 * (builds clone the repository and the runtime keeps the token), runner (registering with GitHub)
 * and github, so `--only host` or `--only cluster` runs without a token.
 */
const needs: readonly Need[] = [
	{path: 'connection.host', when: always},
	{path: 'mode', when: always},
	{path: 'domain', when: serverMode},
	{path: 'acmeEmail', when: serverMode},
	{path: 'github.repo', when: inPhase('platform', 'runner', 'github')},
	{path: 'github.token', when: inPhase('platform', 'runner', 'github')},
	{path: 'platform.ownerEmail', when: inPhase('platform')},
	{path: 'platform.oauthClientId', when: inPhase('platform')},
	{
		path: 'platform.oauthClientSecret',
		when: inPhase('platform'),
		keptInCluster: true,
	},
	{
		path: 'platform.gitBotToken',
		when: inPhase('platform'),
		keptInCluster: true,
	},
	{
		path: 'platform.openaiApiKey',
		or: 'platform.openaiAuthFile',
		when: inPhase('platform'),
		keptInCluster: true,
	},
];

const isGiven = (input: Input, path: string) => {
	const value = getPath(input, path);
	return value !== undefined && value !== '';
};

/** The platform secrets only the operator knows (kept in the cluster after the first install). */
export const keptSecretPaths: readonly string[] = needs.flatMap(need =>
	need.keptInCluster ? [need.path, ...(need.or ? [need.or] : [])] : [],
);

/** What an install of `phases` still lacks, in the order the wizard asks. Pure. */
export function missingAnswers(
	input: Input,
	phases: readonly Phase[],
	known: Known = {},
): MissingAnswer[] {
	const chosen = new Set(phases);
	return needs
		.filter(need => need.when(input, chosen))
		.filter(need => !(need.keptInCluster && known.platformSecretsKept))
		.filter(
			need =>
				!isGiven(input, need.path) && !(need.or && isGiven(input, need.or)),
		)
		.map(need => {
			const field = fieldByPath.get(need.path)!;
			const alternatives = need.or ? [fieldByPath.get(need.or)!] : [];
			const how = [field, ...alternatives]
				.map(one => howToSet(one))
				.join(', or instead ');
			return {field, alternatives, how};
		});
}
