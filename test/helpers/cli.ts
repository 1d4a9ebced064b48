import {
	type ChildProcess,
	execFileSync,
	spawn,
	spawnSync,
} from 'node:child_process';
import {once} from 'node:events';
import {existsSync, mkdtempSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {fileURLToPath} from 'node:url';

export const root = fileURLToPath(new URL('../../', import.meta.url));
export const bin = join(root, 'dist', 'bin.js');

/** The built CLI is what users run; build it when a test run starts without it. */
export function ensureBuilt(): void {
	if (!existsSync(bin)) {
		execFileSync('npm', ['run', '--silent', 'build'], {
			cwd: root,
			stdio: 'inherit',
		});
	}
}

/**
 * How a test starts the CLI: `[node, dist/bin.js]` by default; another Node's binary in front
 * (test/helpers/node-versions.ts) or an installed package's own `bin` instead.
 */
export type CliCommand = readonly string[];

export const defaultCommand: CliCommand = [process.execPath, bin];

export type CliResult = {
	code: number | undefined;
	stdout: string;
	stderr: string;
};

/** Run the built CLI without a terminal, with a private home and state directory. */
export function runCli(
	args: string[],
	options: {
		env?: NodeJS.ProcessEnv;
		input?: string;
		cwd?: string;
		command?: CliCommand;
	} = {},
): CliResult {
	const home = mkdtempSync(join(tmpdir(), 'ck8s-e2e-home-'));
	const [program, ...prefix] = options.command ?? defaultCommand;
	const result = spawnSync(program!, [...prefix, ...args], {
		cwd: options.cwd ?? home,
		input: options.input ?? '',
		encoding: 'utf8',
		env: {
			PATH: process.env['PATH'],
			HOME: home,
			CODEXK8S_STATE_DIR: join(home, 'state'),
			...options.env,
		},
	});
	return {
		code: result.status ?? undefined,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

export type RunningCli = {
	child: ChildProcess;
	result: Promise<CliResult>;
	/** What the CLI wrote to stderr so far. */
	stderr(): string;
};

/**
 * The built CLI as a child that a test can signal while it runs. Not blocking this process:
 * tests whose guests reach apt through the harness's proxy (which lives here) need the event loop.
 */
export function startCli(
	args: string[],
	options: {env?: NodeJS.ProcessEnv; home?: string; command?: CliCommand} = {},
): RunningCli {
	const home = options.home ?? mkdtempSync(join(tmpdir(), 'ck8s-e2e-home-'));
	const [program, ...prefix] = options.command ?? defaultCommand;
	const child = spawn(program!, [...prefix, ...args], {
		cwd: home,
		stdio: ['ignore', 'pipe', 'pipe'],
		env: {
			PATH: process.env['PATH'],
			HOME: home,
			CODEXK8S_STATE_DIR: join(home, 'state'),
			...options.env,
		},
	});
	let stdout = '';
	let stderr = '';
	child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
		stdout += chunk;
	});
	child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
		stderr += chunk;
	});
	const result = (async () => {
		const [code] = (await once(child, 'close')) as [number | undefined];
		return {code: code ?? undefined, stdout, stderr};
	})();
	return {child, result, stderr: () => stderr};
}

export async function runCliAsync(
	args: string[],
	options: {env?: NodeJS.ProcessEnv; home?: string; command?: CliCommand} = {},
): Promise<CliResult> {
	return startCli(args, options).result;
}

/**
 * The built CLI with a real pseudo-terminal (util-linux `script`) of `columns` as its stdout, a
 * private home, and `env` on top.
 */
export function runCliInTerminal(
	args: string[],
	{columns, env = {}}: {columns: number; env?: NodeJS.ProcessEnv},
): {code: number | undefined; screen: string} {
	const home = mkdtempSync(join(tmpdir(), 'ck8s-tty-'));
	const command = [process.execPath, bin, ...args]
		.map(word => JSON.stringify(word))
		.join(' ');
	const result = spawnSync(
		'script',
		['-qec', `stty cols ${columns}; ${command}`, '/dev/null'],
		{
			encoding: 'utf8',
			env: {
				PATH: process.env['PATH'],
				HOME: home,
				CODEXK8S_STATE_DIR: join(home, 'state'),
				TERM: 'xterm-256color',
				...env,
			},
		},
	);
	return {
		code: result.status ?? undefined,
		screen: result.stdout.replaceAll('\r', ''),
	};
}
