import {fieldManager} from './apply.js';
import type {Kube} from './client.js';
import {notThere} from './condition-waits.js';
import {
	type Observation,
	type WaitOptions,
	waitUntilReady,
} from './readiness.js';
import {lookAtJob} from './waits.js';

type Managed = {
	metadata: {
		creationTimestamp?: string;
		managedFields?: Array<{
			manager?: string;
			subresource?: string;
			time?: string;
		}>;
	};
	status?: {jobName?: string};
};

/** When the installer last changed the object (the API server's clock, in whole seconds). */
function changedByUsAt(object: Managed | undefined): number {
	const times = (object?.metadata.managedFields ?? [])
		.filter(entry => entry.manager === fieldManager && !entry.subresource)
		.map(entry => Date.parse(entry.time ?? ''))
		.filter(time => !Number.isNaN(time));
	return Math.max(0, ...times);
}

async function lookAtChart(
	kube: Kube,
	namespace: string,
	name: string,
	signal: AbortSignal,
): Promise<Observation> {
	const base = `/apis/helm.cattle.io/v1/namespaces/${namespace}`;
	const chart = await kube.read<Managed>(`${base}/helmcharts/${name}`, signal);
	if (!chart) {
		return notThere('the HelmChart is not created yet');
	}

	const jobName = chart.status?.jobName;
	if (!jobName) {
		return notThere('helm-controller has not started its install Job yet');
	}

	// The values may live in the chart or in its HelmChartConfig (k3s's own charts). Until
	// helm-controller replaces the install Job, the completed one is that of the values before.
	const config = await kube.read<Managed>(
		`${base}/helmchartconfigs/${name}`,
		signal,
	);
	const job = await kube.read<Managed>(
		`/apis/batch/v1/namespaces/${namespace}/jobs/${jobName}`,
		signal,
	);
	const jobCreated = Date.parse(job?.metadata.creationTimestamp ?? '');
	const valuesChanged = Math.max(changedByUsAt(chart), changedByUsAt(config));
	if (!job || Number.isNaN(jobCreated) || jobCreated < valuesChanged) {
		return notThere(
			'helm-controller has not started the install Job for the current values yet',
		);
	}

	return lookAtJob(kube, namespace, jobName, signal);
}

/** A HelmChart installed by k3s's helm-controller with its current values: that install Job completed. */
export async function waitForHelmChart(
	kube: Kube,
	namespace: string,
	name: string,
	options: WaitOptions,
): Promise<void> {
	await waitUntilReady(
		`Helm chart ${namespace}/${name}`,
		async () => lookAtChart(kube, namespace, name, options.signal),
		options,
	);
}
