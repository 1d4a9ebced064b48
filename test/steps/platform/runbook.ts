// Every platform step says how to check its result by hand and how to fix or redo it, with this
// installation's values: ready for the runbook once the phase is in the registry.
import test from 'ava';
import {platformSteps} from '../../../steps/platform/index.js';
import {platformInput} from '../../helpers/platform-phase.js';

test("every platform step has a runbook entry with the installation's values", t => {
	const input = platformInput('staging-x', {});
	for (const step of platformSteps) {
		const entry = step.runbook?.(input);
		t.truthy(entry, `${step.id} has a runbook entry`);
		const text = [...entry!.check, ...entry!.fix].join('\n');
		t.true(text.includes('staging-x'), `${step.id} names the namespace`);
		t.false(text.includes('undefined'), `${step.id}: ${text}`);
	}
});
