// The throttling plugin types its handlers as `void`, but awaits them and retries when they say true.
/* eslint-disable @typescript-eslint/strict-void-return */
import {throttling} from '@octokit/plugin-throttling';
import {Octokit} from '@octokit/rest';
import Bottleneck from 'bottleneck';
import type {Input} from '../config/schema.js';
import {UserError} from '../errors.js';
import type {Logger} from '../log.js';
import {sleep} from '../wait.js';
import {addRetries, defaultDelaysMs, type Listener} from './retry.js';

// Typed as the plain Octokit: the plugins add options, not methods this installer calls.
const GitHubOctokit: typeof Octokit = Octokit.plugin(throttling);
export type Api = Octokit;

/** The repository this installation wires up, and a client that can only talk about it. */
export type GitHub = {
	api: Api;
	owner: string;
	repo: string;
	/** `https://github.com/owner/repo`, or the Enterprise equivalent: for links in messages. */
	htmlUrl: string;
	/** HMAC key for secret digests (see secrets.ts); derived from the token, never stored. */
	digestKey: string;
	/**
	 * The step using the client now: its Ctrl-C aborts requests and retry pauses, its progress
	 * shows retries. One client serves a run's steps one after the other (see context.ts).
	 */
	listener: Listener;
};

export type ClientOptions = {
	/** How many times a rate-limited request is retried before it fails. */
	rateLimitRetries?: number;
	/** Milliseconds per second of `retry-after`; tests shrink it. */
	retryAfterBaseMs?: number;
	/** Spacing of writes (GitHub asks for ≥ 1 s between mutating requests to avoid secondary limits). */
	writeSpacingMs?: number;
	/** Pauses before each retry when GitHub does not answer or answers 5xx; tests shrink them. */
	retryDelaysMs?: readonly number[];
};

export function createGitHub(
	input: Input,
	log: Logger,
	options: ClientOptions = {},
): GitHub {
	const {repo: slug, token, apiUrl} = input.github;
	if (!slug || !token) {
		throw new UserError('The GitHub repository and token are needed', {
			hint: 'Give --repo owner/name and the token in CODEXK8S_GITHUB_TOKEN, --token-file or --token-stdin.',
		});
	}

	log.addSecret(token);
	const [owner = '', repo = ''] = slug.split('/');
	const retries = options.rateLimitRetries ?? 3;
	const listener: Listener = {};
	// Shown as the step's progress line, not only logged: a wait of minutes must not look like a hang.
	// The wait is ours, not the plugin's (its base value is 0 below): Ctrl-C ends this one at once.
	const waitOut = async (what: string, retryAfter: number, count: number) => {
		if (count >= retries) {
			log.warn(`GitHub ${what} rate limit; no retry left`);
			return false;
		}

		const line = `GitHub ${what} rate limit reached: retry ${count + 1} of ${retries} in ${retryAfter} s${retryAfter > 10 ? ' (Ctrl-C stops)' : ''}`;
		log.warn(line);
		listener.notify?.(line);
		try {
			await sleep(
				retryAfter * (options.retryAfterBaseMs ?? 1000),
				listener.signal ?? new AbortController().signal,
			);
			return true;
		} catch {
			// Stopped: no retry; the request fails and the retry hook reports the interruption.
			return false;
		}
	};

	const api = new GitHubOctokit({
		auth: token,
		baseUrl: apiUrl.replace(/\/+$/, ''),
		userAgent: 'codex-k8s-install',
		log: {
			// Octokit's debug and info lines are request traces: the log keeps warnings and errors.
			debug: () => undefined,
			info: () => undefined,
			warn(message: string) {
				log.warn(message);
			},
			error(message: string) {
				log.error(message);
			},
		},
		throttle: {
			id: `${apiUrl} ${slug}`,
			retryAfterBaseValue: 0,
			write: new Bottleneck.Group({
				maxConcurrent: 1,
				minTime: options.writeSpacingMs ?? 1000,
			}),
			// The plugin's types say `void`, but it awaits the handler and retries when it says true.
			onRateLimit: async (
				retryAfter: number,
				_options: unknown,
				_o: unknown,
				count: number,
			): Promise<boolean> => waitOut('primary', retryAfter, count),

			onSecondaryRateLimit: async (
				retryAfter: number,
				_options: unknown,
				_o: unknown,
				count: number,
			): Promise<boolean> => waitOut('secondary', retryAfter, count),
		},
	});

	addRetries(
		api,
		{
			delaysMs: options.retryDelaysMs ?? defaultDelaysMs,
			timeoutMs: input.timeouts.githubRequest * 1000,
			apiUrl,
		},
		listener,
	);
	return {
		api,
		owner,
		repo,
		htmlUrl: webUrl(apiUrl, slug),
		digestKey: token,
		listener,
	};
}

export const slugOf = (gh: GitHub) => `${gh.owner}/${gh.repo}`;

/** The same client and token, talking about another repository (the first project's). */
export function forRepo(gh: GitHub, slug: string, apiUrl: string): GitHub {
	const [owner = '', repo = ''] = slug.split('/');
	return {...gh, owner, repo, htmlUrl: webUrl(apiUrl, slug)};
}

/** The web address for an API base: api.github.com → github.com, GHES `/api/v3` stripped. */
export function webUrl(apiUrl: string, slug: string): string {
	const url = new URL(apiUrl);
	if (url.hostname === 'api.github.com') {
		return `https://github.com/${slug}`;
	}

	return `${url.origin}${url.pathname.replace(/\/api\/v3\/?$/, '').replace(/\/+$/, '')}/${slug}`;
}
