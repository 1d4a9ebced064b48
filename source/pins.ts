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
	/**
	 * Actions the deploy workflow uses, by commit as GitHub's hardening guide asks (a tag can be
	 * moved), the release beside it. Both run on the node24 action runtime (runner ≥ 2.327.1).
	 */
	setupNodeAction: {
		uses: 'actions/setup-node@820762786026740c76f36085b0efc47a31fe5020',
		release: 'v7.0.0',
	},
	/** The Node.js major the workflow's jobs run the installer with: the active LTS line. */
	workflowNode: '24',
	/**
	 * The cert-manager chart from Jetstack's repository: the release the test cluster's simulated
	 * helm-controller renders (test/cluster/charts.txt), so its CRDs validate what is applied.
	 */
	certManager: {
		repo: 'https://charts.jetstack.io',
		chart: 'cert-manager',
		version: 'v1.21.2',
	},
	/** The node-local registry: distribution v3 (`registry:3`), its newest release (May 2026), exactly. */
	registryImage: 'registry:3.1.1',
	/**
	 * The k3s release: the newest patch of the v1.36 minor in k3s's stable channel whose Kubernetes
	 * matches the test cluster's (test/cluster/go.mod: k8s.io/kubernetes v1.36.3), so what the
	 * tests prove against the real API server is the API this k3s serves.
	 */
	k3s: {
		version: 'v1.36.3+k3s1',
		/** The install script comes from the version's own tag, never from get.k3s.io. */
		installScriptUrl:
			'https://raw.githubusercontent.com/k3s-io/k3s/v1.36.3%2Bk3s1/install.sh',
		/**
		 * SHA-256 of that install script. Not pinned yet: the file at the tag could not be read
		 * where this was written (no network; see docs/cluster.md). Until it is, an online install
		 * is refused with that reason; the air-gap inputs (or a sum the operator gives) install.
		 */
		installScriptSha256: undefined as string | undefined,
	},
	// Platform phase (docs/platform.md says how each was chosen).
	// pgvector 0.8.1 on PostgreSQL 16: the major the platform's migrations were written for.
	postgresImage: 'pgvector/pgvector:0.8.1-pg16',
	oauth2ProxyImage: 'quay.io/oauth2-proxy/oauth2-proxy:v7.15.2',
	buildkitImage: 'moby/buildkit:v0.25.0-rootless',
	gitImage: 'alpine/git:2.47.2',
	busyboxImage: 'busybox:1.36.1',
} as const;
