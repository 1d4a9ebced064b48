import {renderToString} from 'ink';
import type {Plan} from '../engine/plan.js';
import type {PlanHeader} from '../report/plan-summary.js';
import {PlanView} from './PlanView.js';

/**
 * Print the plan view once on a terminal. A static frame needs no live Ink instance, so nothing
 * takes over the cursor or stdin and the text stays in the scrollback.
 */
export async function showPlan(
	plan: Plan,
	header: PlanHeader,
	stdout: NodeJS.WritableStream & {columns?: number},
): Promise<void> {
	const frame = renderToString(<PlanView plan={plan} header={header} />, {
		columns: stdout.columns ?? 80,
	});
	await new Promise<void>((resolve, reject) => {
		stdout.write(`${frame}\n`, error => {
			if (error) {
				reject(error);
			} else {
				resolve();
			}
		});
	});
}
