import type {Step} from '../../source/engine/step.js';
import {certManagerStep} from './cert-manager.js';
import {clusterIssuerStep} from './cluster-issuer.js';
import {imageGcStep} from './image-gc.js';
import {k3sStep} from './k3s.js';
import {kubeconfigStep} from './kubeconfig.js';
import {networkPolicyStep} from './network-policy.js';
import {registryMirrorStep} from './registry-mirror.js';
import {registryStep} from './registry.js';
import {traefikStep} from './traefik.js';

/**
 * In order. On the host: the files k3s reads at start (registries.yaml, the kubelet drop-in)
 * first, so a first install starts k3s once with them and a later change restarts it once; then
 * k3s (it replans the steps after it) and the operator's kubeconfig. In the cluster: the ingress,
 * cert-manager before the issuer its CRDs define, the registry, and the network policy last (it
 * labels cert-manager's namespace).
 */
export const clusterSteps: readonly Step[] = [
	registryMirrorStep,
	imageGcStep,
	k3sStep,
	kubeconfigStep,
	traefikStep,
	certManagerStep,
	clusterIssuerStep,
	registryStep,
	networkPolicyStep,
];
