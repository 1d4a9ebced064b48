import type {CheckOutcome} from '../../source/engine/check.js';
import type {StepContext} from '../../source/engine/step.js';
import type {Kube} from '../../source/kube/index.js';
import {kubeOf} from '../kit.js';

/**
 * The platform namespace, or the outcome saying it is not there (the platform phase did not
 * run): every platform check starts here.
 */
export async function inNamespace(
	context: StepContext,
	look: (kube: Kube, namespace: string) => Promise<CheckOutcome>,
): Promise<CheckOutcome> {
	const kube = await kubeOf(context);
	const {namespace} = context.input.platform;
	const found = await kube.read(
		`/api/v1/namespaces/${namespace}`,
		context.signal,
	);
	return found
		? look(kube, namespace)
		: {status: 'absent', detail: `no namespace ${namespace}`};
}
