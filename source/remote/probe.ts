import {Buffer} from 'node:buffer';
import {shellWord} from '../encode/index.js';
import {UserError} from '../errors.js';
import type {ProbeResult} from './types.js';

const probeKey = /^[\w.:-]+$/;

/**
 * One bash script running every snippet in its own subshell (stdin from /dev/null, so a snippet
 * cannot eat the rest of the script), printing `key<TAB>code<TAB>base64(output)` per probe.
 */
export function probeScript(probes: Record<string, string>): string {
	const parts: string[] = [];
	for (const [key, snippet] of Object.entries(probes)) {
		if (!probeKey.test(key)) {
			throw new Error(`invalid probe key "${key}"`);
		}

		parts.push(
			`__o=$( (\n${snippet}\n) </dev/null 2>&1 | base64 -w0; exit "\${PIPESTATUS[0]}" ); __c=$?`,
			String.raw`printf '%s\t%s\t%s\n' ${shellWord(key)} "$__c" "$__o"`,
		);
	}

	return `${parts.join('\n')}\n`;
}

export function parseProbeOutput(
	stdout: string,
	keys: string[],
): Record<string, ProbeResult> {
	const results: Record<string, ProbeResult> = {};
	for (const line of stdout.split('\n')) {
		const [key, code, output] = line.split('\t');
		if (key === undefined || code === undefined || output === undefined) {
			continue;
		}

		results[key] = {
			code: Number(code),
			output: Buffer.from(output, 'base64').toString('utf8'),
		};
	}

	const missing = keys.filter(key => !(key in results));
	if (missing.length > 0) {
		throw new UserError(
			`the host did not answer the checks ${missing.join(', ')}`,
			{
				hint: 'Is bash installed on the host? Run again with --verbose to see its output.',
			},
		);
	}

	return results;
}
