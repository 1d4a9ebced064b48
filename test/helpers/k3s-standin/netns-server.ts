import {type ChildProcess, spawn} from 'node:child_process';
import {once} from 'node:events';
import process from 'node:process';
import type {Guest} from '../guest/with-guest.js';

/**
 * A Node.js server script run in the guest's network namespace, as a pod or Traefik would listen
 * on the node; resolves once the script printed its first line (it listens).
 */
export async function serveInGuestNetwork(
	guest: Guest,
	script: string,
	args: readonly string[],
): Promise<ChildProcess> {
	const child = spawn(
		'ip',
		['netns', 'exec', guest.netns, process.execPath, '-e', script, ...args],
		{stdio: ['ignore', 'pipe', 'inherit']},
	);
	await once(child.stdout, 'data');
	return child;
}
