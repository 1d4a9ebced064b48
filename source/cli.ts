import {parseArgs, type ParseArgsConfig} from 'node:util';
import packageJson from '../package.json' with {type: 'json'};
import {decideInteractive, type Streams} from './cli-mode.js';
import {
	commands,
	commandNames,
	type CommandName,
	type Flags,
} from './commands/index.js';
import {fields} from './config/fields.js';
import {globalHelp, commandHelp} from './help.js';
import {exitCodeOf, exitCodes, formatError, UsageError} from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

const options: Options = {
	...Object.fromEntries(
		fields
			.filter(field => field.flag)
			.map(field => [field.flag!, {type: 'string'} as const]),
	),
	config: {type: 'string', short: 'c'},
	yes: {type: 'boolean', short: 'y'},
	'non-interactive': {type: 'boolean'},
	json: {type: 'boolean'},
	verbose: {type: 'boolean'},
	'log-file': {type: 'string'},
	probe: {type: 'boolean'},
	only: {type: 'string'},
	'state-dir': {type: 'string'},
	'token-file': {type: 'string'},
	'token-stdin': {type: 'boolean'},
	'force-unlock': {type: 'boolean'},
	'in-cluster': {type: 'boolean'},
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean'},
};

const camel = (flag: string) =>
	flag.replaceAll(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

/** Node's own parser: strict, so an unknown or malformed flag is a usage error (exit 2). */
function parse(argv: readonly string[]): {input: string[]; flags: Flags} {
	try {
		const {values, positionals} = parseArgs({
			args: [...argv],
			options,
			allowPositionals: true,
			strict: true,
		});
		const flags = Object.fromEntries(
			Object.entries(values).map(([key, value]) => [
				camel(key),
				Array.isArray(value) ? value.at(-1) : value,
			]),
		);
		return {input: positionals, flags};
	} catch (error) {
		throw new UsageError(
			(error as Error).message.replace(/\. To specify a positional.*$/s, ''),
			'See `codex-k8s-install --help` for every flag.',
		);
	}
}

/** Parse argv, decide interactivity once, run one command, return its exit code. */
export async function main(
	argv: readonly string[],
	streams: Streams = process,
	env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
	const {version} = packageJson;
	try {
		const cli = parse(argv);
		const {flags} = cli;
		const [name = 'install', ...extra] = cli.input;
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

export {exitCodes} from './errors.js';
