import {mkdirSync, writeFileSync} from 'node:fs';
import {dirname, join, resolve} from 'node:path';
import {exitCodes} from '../errors.js';
import {readState} from '../engine/state-file.js';
import {installerVersion} from '../github/context.js';
import {expandHome} from '../config/tree.js';
import {assertFilePath} from '../local/paths.js';
import {allSteps} from '../../steps/index.js';
import {renderRunbook} from '../report/runbook.js';
import {runbookProgram} from './invoked-as.js';
import {openSession} from './session.js';
import {commands, type Invocation} from './index.js';

/** `root@203.0.113.10:22` → a file name: `runbook-root-203.0.113.10-22.md`. */
export const runbookFileName = (key: string | undefined) =>
	`runbook-${(key ?? 'no-host').replaceAll(/[^\w.-]+/g, '-')}.md`;

/**
 * `runbook`: the manual-recovery document of this installation (its saved answers and the given
 * ones), from the step registry. Written into the state directory unless `--output` says where;
 * `--output -` prints it. Reads nothing remote.
 */
export async function run(invocation: Invocation): Promise<number> {
	const {flags, streams, program} = invocation;
	const session = await openSession(invocation, {
		registry: allSteps,
		alwaysLog: false,
		openState: directory => readState(join(directory, 'state.json')),
	});
	const text = renderRunbook(allSteps, session.input, {
		target: session.key ?? '(no host given)',
		version: installerVersion,
		stateDir: session.stateDir,
		program: runbookProgram(program, installerVersion),
		commands: Object.keys(commands),
	});
	const {output} = flags;
	if (output === '-') {
		streams.stdout.write(text);
		return exitCodes.ok;
	}

	const file =
		typeof output === 'string'
			? resolve(expandHome(output, session.home))
			: join(session.stateDir, runbookFileName(session.key));
	assertFilePath(file, typeof output === 'string' ? '--output' : 'The runbook');
	mkdirSync(dirname(file), {recursive: true});
	writeFileSync(file, text, {mode: 0o600});
	streams.stdout.write(
		flags['json']
			? `${JSON.stringify({command: 'runbook', file}, undefined, 2)}\n`
			: `${file}\n`,
	);
	return exitCodes.ok;
}
