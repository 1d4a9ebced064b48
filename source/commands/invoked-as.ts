import {sep} from 'node:path';

export const programName = 'codex-k8s-install';

/**
 * How the operator starts this program, for the commands hints tell them to run: through npx
 * (npm says so in `npm_command`, and npx installs under an `_npx` cache directory) or by name.
 */
export function invokedAs(
	env: NodeJS.ProcessEnv,
	script = process.argv[1] ?? '',
): string {
	const viaNpx =
		env['npm_command'] === 'exec' || script.includes(`${sep}_npx${sep}`);
	return viaNpx ? `npx ${programName}` : programName;
}

/**
 * Hints are written once, naming the bare program in backticks (`` `codex-k8s-install resume` ``)
 * or after "run:"; shown to an npx user, those commands get the prefix they need.
 */
export function asInvoked(text: string, name: string): string {
	return name === programName
		? text
		: text.replaceAll(/(?<=`|run: )codex-k8s-install(?= |`)/g, name);
}

/**
 * The program as the runbook writes it. The runbook is read long after it was written, when
 * `npx codex-k8s-install` would fetch whatever version is newest: an npx user gets the version
 * that wrote it (`npx codex-k8s-install@1.2.0`), the one whose steps the runbook describes. An
 * installed program is named as it is (it is the version that wrote it, until updated).
 */
export const runbookProgram = (program: string, version: string): string =>
	program === programName ? programName : `npx ${programName}@${version}`;
