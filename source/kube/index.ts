export {
	type ApplyOptions,
	apply,
	check,
	exists,
	fieldManager,
	type ObjectCheck,
	remove,
} from './apply.js';
export {createKube, type Kube, type KubeRequest} from './client.js';
export {diffObjects} from './diff.js';
export {ClusterNotRunningError} from './errors.js';
export {conditionOf, type KubeObject, nameOf} from './objects.js';
export {
	progressLine,
	type WaitOptions,
	type WaitProgress,
} from './readiness.js';
export {
	apiPort,
	inClusterTransport,
	k3sKubeconfigPath,
	kubeconfigTransport,
	readKubeconfig,
	serviceAccountDirectory,
	sshTransport,
	type Transport,
} from './transport.js';
export {waitForJob, waitForRollout} from './waits.js';
export {waitForHelmChart} from './helm-chart-wait.js';
export {
	waitForCertificate,
	waitForClusterIssuer,
	waitForNode,
} from './condition-waits.js';
