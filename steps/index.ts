import type {Check} from '../source/engine/check.js';
import type {Step} from '../source/engine/step.js';
import {clusterSteps} from './cluster/index.js';
import {clusterChecks} from './cluster/checks.js';
import {githubChecks} from './github/checks.js';
import {hostChecks} from './host/checks.js';
import {platformChecks} from './platform/checks.js';
import {verifyChecks} from './verify/checks.js';
import {githubSteps} from './github/index.js';
import {hostSteps, publicPorts} from './host/index.js';
import {platformSteps} from './platform/index.js';
import {preflightSteps} from './preflight/index.js';
import {runnerSteps} from './runner/index.js';
import {verifySteps} from './verify/index.js';

/**
 * Every step, in order: each phase folder's index.ts lists its own. Phases that have no steps yet
 * are not offered by `install`.
 */
export const allSteps: readonly Step[] = [
	...preflightSteps,
	...hostSteps,
	...clusterSteps,
	// The host's firewall opens 80/443 only once the cluster phase published them.
	publicPorts,
	...platformSteps,
	...runnerSteps,
	...githubSteps,
	...verifySteps,
];

/**
 * Every smoke check, in phase order: `status` runs them (and the deploy workflow's smoke job, with
 * `status --in-cluster`). Each phase's checks.ts lists its own.
 */
export const allChecks: readonly Check[] = [
	...hostChecks,
	...clusterChecks,
	...platformChecks,
	...githubChecks,
	...verifyChecks,
];
