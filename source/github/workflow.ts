import type {Input} from '../config/schema.js';
import {yamlString} from '../encode/index.js';
import {readAsset} from '../assets.js';
import {pins} from '../pins.js';

export const workflowPath = '.github/workflows/ai_staging_deploy.yml';
export const workflowFile = 'ai_staging_deploy.yml';

/**
 * The workflow for this installation. The runner and branch are YAML scalars, encoded as such;
 * the version also lands inside `run:` shell lines, so it must be a plain version string.
 */
export function renderWorkflow(input: Input, version: string): string {
	if (!/^[\w.\-+]+$/.test(version)) {
		throw new Error(`unsafe version for the workflow: ${version}`);
	}

	return readAsset('workflows/ai_staging_deploy.yml')
		.replaceAll('@@VERSION@@', version)
		.replaceAll('@@MODE@@', input.mode ?? 'local')
		.replaceAll('@@RUNNER@@', yamlString(input.runner.scaleSetName))
		.replaceAll('@@BRANCH@@', yamlString(input.platform.baseBranch))
		.replaceAll(
			'@@SETUP_NODE@@',
			`${pins.setupNodeAction.uses} # ${pins.setupNodeAction.release}`,
		)
		.replaceAll('@@NODE@@', yamlString(pins.workflowNode));
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
