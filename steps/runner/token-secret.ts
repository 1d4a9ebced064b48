import {UserError} from '../../source/errors.js';
import {objectsStep} from '../kit-objects.js';
import {runnerLabels, runnerNames} from './names.js';
import {base64, checkedFirst, registrationProblem} from './registration.js';

/**
 * The runner namespace and the Secret ARC reads the GitHub token from. The token goes to the API
 * in the request body only: never in argv, a file or the plan (a Secret's values show as hidden).
 */
export const runnerTokenSecret = checkedFirst(
	objectsStep({
		id: 'runner.token-secret',
		phase: 'runner',
		title: 'Runner token Secret',
		requires: ['cluster'],
		inputs: input => input.runner.namespace,
		runbook: input => ({
			check: [
				`kubectl -n ${input.runner.namespace} get secret ${runnerNames.tokenSecret}`,
			],
			fix: ['see "GitHub token expired or refused" below'],
		}),
		describe: input => [
			`namespace ${input.runner.namespace} and Secret ${runnerNames.tokenSecret} holding the GitHub token ARC registers the runners with`,
			'first reads, without writing, whether the token may manage the repository’s self-hosted runners (Administration)',
		],
		objects({input}) {
			const {token} = input.github;
			if (!token) {
				throw new UserError('the runner phase needs the GitHub token', {
					hint: 'Give it in CODEXK8S_GITHUB_TOKEN, --token-file FILE or --token-stdin.',
				});
			}

			return [
				{
					apiVersion: 'v1',
					kind: 'Namespace',
					metadata: {name: input.runner.namespace, labels: runnerLabels},
				},
				{
					apiVersion: 'v1',
					kind: 'Secret',
					metadata: {
						name: runnerNames.tokenSecret,
						namespace: input.runner.namespace,
						labels: runnerLabels,
					},
					type: 'Opaque',
					// The key ARC's chart documents for a personal access token.
					data: {github_token: base64(token)},
				},
			];
		},
	}),
	registrationProblem,
);
