import type {Input} from '../config/schema.js';
import type {Logger} from '../log.js';
import packageJson from '../../package.json' with {type: 'json'};
import {createGitHub, forRepo, type GitHub} from './client.js';

/**
 * The run's client, made on first use: a run whose steps never reach GitHub needs no token, and
 * one client per run shares its throttling state among the steps.
 */
export function githubForRun(input: Input, log: Logger): () => GitHub {
	let gh: GitHub | undefined;
	return () => {
		gh ??= createGitHub(input, log);
		return gh;
	};
}

/**
 * The run's client as one step uses it: that step's Ctrl-C stops GitHub's retries and requests,
 * and its progress lines show the retries. Steps run one at a time, so the last one bound is the
 * one asking.
 */
export function forStep(
	github: () => GitHub,
	{signal, output}: {signal: AbortSignal; output: (line: string) => void},
): () => GitHub {
	return () => {
		const gh = github();
		gh.listener.signal = signal;
		gh.listener.notify = output;
		return gh;
	};
}

/**
 * The repositories that get the webhook and the labels: the platform's, and the first project's
 * when it is another one (upstream's split: secrets and variables stay with the platform).
 */
export function projectSlugs(input: Input): string[] {
	const {repo = 'the repository', firstProjectRepo} = input.github;
	return firstProjectRepo &&
		firstProjectRepo.toLowerCase() !== repo.toLowerCase()
		? [repo, firstProjectRepo]
		: [repo];
}

/** Clients for the repositories of `projectSlugs`, the platform's first. */
export function projectRepos(gh: GitHub, input: Input): GitHub[] {
	const [, other] = projectSlugs(input);
	return other ? [gh, forRepo(gh, other, input.github.apiUrl)] : [gh];
}

export const installerVersion: string = packageJson.version;
