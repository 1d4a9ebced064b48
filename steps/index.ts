import type {Step} from '../source/engine/step.js';
import {hostSteps} from './host/index.js';
import {answers} from './preflight/answers.js';
import {keyFiles} from './preflight/key-files.js';
import {knownHosts} from './preflight/known-hosts.js';
import {nodeVersion} from './preflight/node-version.js';

/** Every step, in order. Phases that have no steps yet are not offered by `install`. */
export const allSteps: readonly Step[] = [
	nodeVersion,
	answers,
	keyFiles,
	knownHosts,
	...hostSteps,
];
