import type {Input} from '../../../source/config/schema.js';
import {
	apply,
	type Kube,
	waitForHelmChart,
} from '../../../source/kube/index.js';
import {traefikConfig, traefikName} from '../../../steps/cluster/traefik.js';
import {k3sNamespace} from '../../../steps/cluster/wait-options.js';
import {waitFor} from '../cluster.js';
import type {Guest} from '../guest/index.js';

type Created = {metadata: {creationTimestamp?: string}};

/**
 * The stand-in k3s plays helm-controller for its bundled Traefik: a HelmChartConfig applied in a
 * later second than the install Job brings a new Job, which the installer's chart wait accepts.
 * Applied in the same second, the old Job would pass on its own, so the test waits for the clock
 * (the guest's, which is the API server's) to move past the Job's creation first.
 */
export async function traefikReinstalledOnNewValues(
	guest: Guest,
	kube: Kube,
	input: Input,
): Promise<void> {
	const jobPath = `/apis/batch/v1/namespaces/${k3sNamespace}/jobs/helm-install-${traefikName}`;
	const job = await waitFor('the bundled Traefik install Job', async () =>
		kube.read<Created>(jobPath),
	);
	const createdSecond = Date.parse(job.metadata.creationTimestamp ?? '') / 1000;
	await waitFor('the guest clock past the Job creation', async () => {
		const now = await guest.exec('date +%s');
		return Number(now.stdout) > createdSecond ? true : undefined;
	});
	await apply(kube, traefikConfig(input));
	await waitForHelmChart(kube, k3sNamespace, traefikName, {
		limitMs: 120_000,
		signal: new AbortController().signal,
	});
}
