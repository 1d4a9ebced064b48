export type Streams = {
	stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
	stderr: NodeJS.WritableStream & {isTTY?: boolean; columns?: number};
};

export const isCi = (env: NodeJS.ProcessEnv) =>
	Boolean(env['CI']) && env['CI'] !== 'false' && env['CI'] !== '0';

/**
 * Decided once per process (docs/contributing.md, House rules): prompts only with a terminal on both ends, outside
 * CI, and without `--non-interactive` or `--json`.
 */
export function decideInteractive(
	streams: Streams,
	env: NodeJS.ProcessEnv,
	flags: {nonInteractive?: boolean; json?: boolean},
): boolean {
	return Boolean(
		streams.stdin.isTTY &&
		streams.stderr.isTTY &&
		!isCi(env) &&
		!flags.nonInteractive &&
		!flags.json,
	);
}
