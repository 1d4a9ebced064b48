/**
 * Every version the installer pins, in one place: what it puts on the host and in the cluster.
 * `plan` shows them; docs/cluster.md says how each was chosen and how to move it. Never "latest".
 */
export const pins = {
	/**
	 * ARC, the runner scale set controller and the scale set: both charts are released together at
	 * one version and must stay at the same one (a scale set newer than its controller gets no
	 * listener). 0.14.2 was the newest release in May 2026; docs/runner.md says how to move it.
	 */
	arcChart: '0.14.2',
	arcCharts: 'oci://ghcr.io/actions/actions-runner-controller-charts',
	/** The runner image the scale set runs; its Node-less PATH is why the workflow sets Node up. */
	runnerImage: 'ghcr.io/actions/actions-runner:2.334.0',
} as const;
