import {readFile} from 'node:fs/promises';
import {
	createKube,
	type Kube,
	kubeconfigTransport,
} from '../../source/kube/index.js';
import type {Cluster} from './cluster.js';

/** The Kubernetes layer's client for a test cluster, as its admin (from the kubeconfig file). */
export async function kubeOf(cluster: Cluster): Promise<Kube> {
	return createKube(
		kubeconfigTransport(await readFile(cluster.kubeconfigPath, 'utf8')),
	);
}
