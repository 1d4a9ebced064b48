import {runInCluster} from './in-cluster.js';
import type {Invocation} from './index.js';

/** `build --in-cluster`: see in-cluster.ts. */
export async function run(invocation: Invocation): Promise<number> {
	return runInCluster(invocation, 'build');
}
