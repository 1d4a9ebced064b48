/* eslint-disable ava/no-ignored-test-files, ava/no-skip-test, ava/require-assertion -- a helper that registers tests; skipping with a reason is its point */
import test, {type ExecutionContext} from 'ava';
import {type Cluster, type RunningCluster, startCluster} from '../cluster.js';
import {goSkipReason} from './binary.js';

type ClusterTest = (
	title: string,
	implementation: (t: ExecutionContext, cluster: Cluster) => Promise<void>,
) => void;

/**
 * Registers a file's tests against one test cluster, started before them and removed after.
 * Without Go (outside CI) they collapse into one skipped test that says why; under `CI=true` they
 * always run, and a missing toolchain or module fails them loudly.
 */
export function clusterTests(): ClusterTest {
	const reason = goSkipReason();
	if (reason !== undefined) {
		test.skip(`test cluster tests skipped: ${reason}`, () => {
			// Never runs: skipped.
		});
		return () => {
			// Skipped with the reason above.
		};
	}

	let cluster: RunningCluster | undefined;
	test.before(async t => {
		// A build here is only a check (.ci/run builds first); a cold one takes minutes.
		t.timeout(20 * 60_000);
		cluster = await startCluster();
	});
	test.after.always(async () => {
		await cluster?.stop();
	});
	return (title, implementation) => {
		test.serial(title, async t => {
			t.timeout(5 * 60_000);
			try {
				await implementation(t, cluster!);
			} catch (error) {
				t.log(`test cluster log (last lines):\n${cluster!.logTail()}`);
				throw error;
			}
		});
	};
}
