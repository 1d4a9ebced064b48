import {runInCluster} from './in-cluster.js';
import type {Invocation} from './index.js';

/** `deploy --in-cluster`: see in-cluster.ts. */
export async function run(invocation: Invocation): Promise<number> {
	return runInCluster(invocation, 'deploy');
}
