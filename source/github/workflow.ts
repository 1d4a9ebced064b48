import type {Input} from '../config/schema.js';
import {readAsset} from '../assets.js';

export const workflowPath = '.github/workflows/ai_staging_deploy.yml';
export const workflowFile = 'ai_staging_deploy.yml';

/** The workflow for this installation: template values are plain names, checked before use. */
export function renderWorkflow(input: Input, version: string): string {
	const runner = input.runner.scaleSetName;
	const branch = input.platform.baseBranch;
	for (const [what, value] of [
		['runner scale set name', runner],
		['base branch', branch],
		['version', version],
	] as const) {
		if (!/^[\w.\-/]+$/.test(value)) {
			throw new Error(`unsafe ${what} for the workflow: ${value}`);
		}
	}

	return readAsset('workflows/ai_staging_deploy.yml')
		.replaceAll('@@VERSION@@', version)
		.replaceAll('@@MODE@@', input.mode ?? 'local')
		.replaceAll('@@RUNNER@@', runner)
		.replaceAll('@@BRANCH@@', branch);
}

/** A short unified-style diff, line by line, for the plan: enough to see what differs. */
export function lineDiff(before: string, after: string, limit = 40): string[] {
	const a = before.split('\n');
	const b = after.split('\n');
	const lines: string[] = [];
	let start = 0;
	while (start < a.length && start < b.length && a[start] === b[start]) {
		start++;
	}

	let endA = a.length - 1;
	let endB = b.length - 1;
	while (endA >= start && endB >= start && a[endA] === b[endB]) {
		endA--;
		endB--;
	}

	lines.push(`@@ line ${start + 1} @@`);
	for (const line of a.slice(start, endA + 1)) {
		lines.push(`- ${line}`);
	}

	for (const line of b.slice(start, endB + 1)) {
		lines.push(`+ ${line}`);
	}

	return lines.length > limit
		? [...lines.slice(0, limit), `… ${lines.length - limit} more lines`]
		: lines;
}
