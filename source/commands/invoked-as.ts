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
