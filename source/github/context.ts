import type {Input} from '../config/schema.js';
import type {StepContext} from '../engine/step.js';
import packageJson from '../../package.json' with {type: 'json'};
import {createGitHub, forRepo, type GitHub} from './client.js';

// One client per run (the input object is the run's), so throttling state is shared by its steps.
const clients = new WeakMap<Record<string, unknown>, GitHub>();

export function githubOf(context: StepContext): GitHub {
	if (context.github) {
		return context.github;
	}

	let gh = clients.get(context.input);
	if (!gh) {
		gh = createGitHub(context.input, context.log);
		clients.set(context.input, gh);
	}

	return gh;
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

export function projectRepos(context: StepContext): GitHub[] {
	const gh = githubOf(context);
	const [, other] = projectSlugs(context.input);
	return other ? [gh, forRepo(gh, other, context.input.github.apiUrl)] : [gh];
}

export const installerVersion: string = packageJson.version;
