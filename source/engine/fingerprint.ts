import {createHash} from 'node:crypto';
import {secretFields} from '../config/fields.js';
import type {Input} from '../config/schema.js';
import {getPath, setPath, type Tree} from '../config/tree.js';
import type {Step} from './step.js';

/** JSON with sorted keys, so equal values always hash the same. */
function stableJson(value: unknown): string {
	if (Array.isArray(value)) {
		return `[${value.map(item => stableJson(item)).join(',')}]`;
	}

	if (value && typeof value === 'object') {
		const entries = Object.entries(value as Tree)
			.filter(([, item]) => item !== undefined)
			.toSorted(([a], [b]) => a.localeCompare(b));
		return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableJson(item)}`).join(',')}}`;
	}

	return JSON.stringify(value) ?? 'null';
}

/**
 * A digest of the inputs a step depends on. Secret fields are replaced by a marker first, so the
 * state file never holds anything derived from a secret; a changed secret is detected on the host.
 */
export function fingerprintStep(step: Step, input: Input): string {
	const masked = structuredClone(input) as unknown as Tree;
	for (const field of secretFields) {
		if (getPath(masked, field.path) !== undefined) {
			setPath(masked, field.path, '<secret>');
		}
	}

	const inputs = step.inputs ? step.inputs(masked as unknown as Input) : {};
	return createHash('sha256')
		.update(`${step.id}\n${stableJson(inputs)}`)
		.digest('hex')
		.slice(0, 32);
}
