import type {Step} from '../../source/engine/step.js';
import {deployRun} from './deploy-run.js';
import {runnerOnline} from './runner-online.js';

/** The runner first: the deploy run needs one online. */
export const verifySteps: readonly Step[] = [runnerOnline, deployRun];
