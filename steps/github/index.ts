import type {Step} from '../../source/engine/step.js';
import {githubLabels} from './labels.js';
import {githubSecrets} from './secrets.js';
import {githubVariables} from './variables.js';
import {githubWebhook} from './webhook.js';
import {githubWorkflow} from './workflow.js';

/** Variables and secrets before the workflow that reads them; the webhook last. */
export const githubSteps: readonly Step[] = [
	githubVariables,
	githubSecrets,
	githubLabels,
	githubWorkflow,
	githubWebhook,
];
