import type {Step} from '../../source/engine/step.js';
import {certManagerStep} from './cert-manager.js';
import {clusterIssuerStep} from './cluster-issuer.js';
import {networkPolicyStep} from './network-policy.js';
import {registryStep} from './registry.js';
import {traefikStep} from './traefik.js';

/**
 * In order: (k3s's host steps, then) the ingress, cert-manager before the issuer its CRDs define,
 * the registry, and the network policy last (it labels cert-manager's namespace).
 */
export const clusterSteps: readonly Step[] = [
	traefikStep,
	certManagerStep,
	clusterIssuerStep,
	registryStep,
	networkPolicyStep,
];
