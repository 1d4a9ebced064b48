import type {Step} from '../source/engine/step.js';
import {githubLabels} from './github/labels.js';
import {githubSecrets} from './github/secrets.js';
import {githubVariables} from './github/variables.js';
import {githubWebhook} from './github/webhook.js';
import {githubWorkflow} from './github/workflow.js';
import {hostSteps} from './host/index.js';
import {answers} from './preflight/answers.js';
import {arch} from './preflight/arch.js';
import {clock} from './preflight/clock.js';
import {dns} from './preflight/dns.js';
import {firstBoot} from './preflight/first-boot.js';
import {githubToken} from './preflight/github-token.js';
import {keyFiles} from './preflight/key-files.js';
import {knownHosts} from './preflight/known-hosts.js';
import {nodeVersion} from './preflight/node-version.js';
import {os} from './preflight/os.js';
import {outbound} from './preflight/outbound.js';
import {privilege} from './preflight/privilege.js';
import {resources} from './preflight/resources.js';
import {deployRun, runnerOnline} from './verify/runs.js';

/** Every step, in order. Phases that have no steps yet are not offered by `install`. */
export const allSteps: readonly Step[] = [
	nodeVersion,
	answers,
	keyFiles,
	knownHosts,
	os,
	arch,
	privilege,
	resources,
	clock,
	outbound,
	dns,
	firstBoot,
	githubToken,
	...hostSteps,
	githubVariables,
	githubSecrets,
	githubLabels,
	githubWorkflow,
	githubWebhook,
	runnerOnline,
	deployRun,
];
