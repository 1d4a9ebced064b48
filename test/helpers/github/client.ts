import {tmpdir} from 'node:os';
import {
	inputSchema,
	type Input,
	type InputSource,
	type Phase,
} from '../../../source/config/schema.js';
import type {StepContext} from '../../../source/engine/step.js';
import {createLogger, type Logger} from '../../../source/log.js';
import {createGitHub, type GitHub} from '../../../source/github/client.js';
import {forStep} from '../../../source/github/context.js';
import {fullToken, type GitHubStandIn} from './server.js';

/** Input for the stand-in's repository, plus overrides. */
export function standInInput(
	standIn: GitHubStandIn,
	token = fullToken,
	extra: InputSource = {},
): Input {
	return inputSchema.parse({
		mode: 'local',
		...extra,
		github: {
			repo: `${standIn.repo.owner}/${standIn.repo.name}`,
			token,
			apiUrl: standIn.url,
			...extra.github,
		},
	});
}

/** A real client (retry and throttling plugins included) aimed at the stand-in, with short waits. */
export function standInClient(
	standIn: GitHubStandIn,
	token = fullToken,
	extra: InputSource = {},
): {gh: GitHub; input: Input; log: Logger} {
	const input = standInInput(standIn, token, extra);
	const log = createLogger();
	const gh = createGitHub(input, log, {
		retryAfterBaseMs: 50,
		writeSpacingMs: 0,
		rateLimitRetries: 3,
		retryDelaysMs: [10, 10, 10],
	});
	return {gh, input, log};
}

/** A step context on the stand-in's client, as the install gives GitHub steps. */
export function standInContext(
	{gh, input, log}: {gh: GitHub; input: Input; log: Logger},
	phases: Phase[] = ['github'],
	output: (line: string) => void = () => undefined,
): StepContext {
	const {signal} = new AbortController();
	return {
		input,
		log,
		github: forStep(() => gh, {signal, output}),
		signal,
		phases,
		output,
		local: {nodeVersion: process.versions.node, home: tmpdir()},
	};
}
