import {constants, existsSync} from 'node:fs';
import {access, readFile} from 'node:fs/promises';
import {dirname} from 'node:path';
import {expandHome} from '../../source/config/tree.js';
import type {Step} from '../../source/engine/step.js';

const code = (error: unknown) =>
	(error as NodeJS.ErrnoException).code ?? String(error);

/** The nearest directory that exists, to tell whether a missing file could be created. */
function nearestExisting(path: string): string {
	let current = path;
	while (!existsSync(current) && dirname(current) !== current) {
		current = dirname(current);
	}

	return current;
}

export const knownHosts: Step = {
	id: 'preflight.known-hosts',
	phase: 'preflight',
	title: 'known_hosts file',
	reach: 'local',
	inputs: input => input.connection.knownHosts,
	runbook: input => ({
		check: [
			`ssh-keygen -F ${input.connection.host ?? 'HOST'} -f ${input.connection.knownHosts}`,
		],
		fix: [
			'a changed host key after a reinstall of the server: compare it with the provider console, then',
			`  ssh-keygen -R ${input.connection.host ?? 'HOST'} -f ${input.connection.knownHosts}`,
			'and connect again with --host-key-fingerprint SHA256:… from the console',
		],
	}),
	describe: input => [
		`read host keys from ${input.connection.knownHosts}; a newly trusted key is appended there`,
	],
	async check({input, local}) {
		const path = expandHome(input.connection.knownHosts, local.home);
		let text: string;
		try {
			text = await readFile(path, 'utf8');
		} catch (error) {
			if (code(error) !== 'ENOENT') {
				return {
					kind: 'blocked',
					problem: `cannot read ${path} (${code(error)})`,
					hint: 'Fix its permissions or point --known-hosts at another file.',
				};
			}

			const parent = nearestExisting(dirname(path));
			try {
				await access(parent, constants.W_OK);
			} catch {
				return {
					kind: 'blocked',
					problem: `${path} does not exist and ${parent} is not writable`,
					hint: 'Create the file or point --known-hosts at a writable location.',
				};
			}

			return {
				kind: 'done',
				note: `${path} does not exist yet; it is created when the host key is trusted`,
			};
		}

		const entries = text
			.split('\n')
			.filter(line => line.trim() && !line.startsWith('#')).length;
		return {
			kind: 'done',
			note: `${path} (${entries} entr${entries === 1 ? 'y' : 'ies'})`,
		};
	},
};
