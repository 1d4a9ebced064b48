import type {Step} from '../../source/engine/step.js';
import {runnerController} from './controller.js';
import {deployerRbac} from './deployer-rbac.js';
import {runnerScaleSet} from './scale-set.js';
import {runnerTokenSecret} from './token-secret.js';

/** The controller before the scale set (its chart finds the controller); the binding needs the set's account. */
export const runnerSteps: readonly Step[] = [
	runnerController,
	runnerTokenSecret,
	runnerScaleSet,
	deployerRbac,
];
