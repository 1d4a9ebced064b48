import meow from 'meow';
import {decideInteractive, type Streams} from './cli-mode.js';
import {commands, commandNames, type CommandName} from './commands/index.js';
import {fields} from './config/fields.js';
import {globalHelp, commandHelp} from './help.js';
import {
	exitCodeOf,
	exitCodes,
	formatError,
	UsageError,
} from './engine/errors.js';

type FlagSpec = {type: 'string' | 'boolean'; shortFlag?: string};

const fieldFlags = Object.fromEntries(
	fields
		.filter(field => field.flag)
		.map(field => [camel(field.flag!), {type: 'string'} satisfies FlagSpec]),
);

const flagSpecs = {
	...fieldFlags,
	config: {type: 'string', shortFlag: 'c'},
	yes: {type: 'boolean', shortFlag: 'y'},
	nonInteractive: {type: 'boolean'},
	json: {type: 'boolean'},
	verbose: {type: 'boolean'},
	logFile: {type: 'string'},
	probe: {type: 'boolean'},
	only: {type: 'string'},
	stateDir: {type: 'string'},
	tokenFile: {type: 'string'},
	tokenStdin: {type: 'boolean'},
	help: {type: 'boolean', shortFlag: 'h'},
	version: {type: 'boolean'},
} satisfies Record<string, FlagSpec>;

function camel(flag: string): string {
	return flag.replaceAll(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
}

export type Flags = Record<string, string | boolean | undefined>;

export type Invocation = {
	command: CommandName;
	flags: Flags;
	streams: Streams;
	env: NodeJS.ProcessEnv;
	interactive: boolean;
	version: string;
};

/** Parse argv, decide interactivity once, run one command, return its exit code. */
export async function main(
	argv: readonly string[],
	streams: Streams = process,
	env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
	const cli = meow({
		importMeta: import.meta,
		argv,
		autoHelp: false,
		autoVersion: false,
		allowUnknownFlags: false,
		booleanDefault: undefined,
		flags: flagSpecs,
	});
	const version = cli.pkg.version ?? '0.0.0';
	const flags = cli.flags as Flags;
	const [name = 'install', ...extra] = cli.input;
	try {
		if (flags['version']) {
			streams.stdout.write(`${version}\n`);
			return exitCodes.ok;
		}

		if (!commandNames.includes(name as CommandName)) {
			throw new UsageError(
				`Unknown command "${name}"`,
				`Commands: ${commandNames.join(', ')}. See --help.`,
			);
		}

		const command = name as CommandName;
		if (flags['help']) {
			streams.stdout.write(
				`${cli.input.length > 0 ? commandHelp(command) : globalHelp(version)}\n`,
			);
			return exitCodes.ok;
		}

		if (extra.length > 0) {
			throw new UsageError(
				`Unexpected argument "${extra[0]}"`,
				`See \`codex-k8s-install ${command} --help\`.`,
			);
		}

		const module = await commands[command].load();
		return await module.run({
			command,
			flags,
			streams,
			env,
			interactive: decideInteractive(streams, env, flags),
			version,
		});
	} catch (error) {
		streams.stderr.write(`${formatError(error)}\n`);
		return exitCodeOf(error);
	}
}

export {exitCodes} from './engine/errors.js';
