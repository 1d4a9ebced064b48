import {parseArgs, type ParseArgsConfig} from 'node:util';
import packageJson from '../package.json' with {type: 'json'};
import {decideInteractive, type Streams} from './cli-mode.js';
import {
	allowedOptions,
	commandNames,
	commandsTaking,
	loadCommand,
	operandOf,
	type CommandName,
	type Flags,
} from './commands/index.js';
import {closest} from './config/issues.js';
import {commandHelp, globalHelp} from './help.js';
import {asInvoked, invokedAs} from './commands/invoked-as.js';
import {allOptions} from './commands/options.js';
import {
	errorJson,
	exitCodeOf,
	exitCodes,
	formatError,
	UsageError,
} from './errors.js';

const parserOptions: NonNullable<ParseArgsConfig['options']> =
	Object.fromEntries(
		allOptions.map(option => [
			option.name,
			{
				type: option.value ? 'string' : 'boolean',
				...(option.short ? {short: option.short} : {}),
			} as const,
		]),
	);

const camel = (flag: string) =>
	flag.replaceAll(/-(\w)/g, (_, letter: string) => letter.toUpperCase());

const didYouMean = (typed: string, candidates: readonly string[]) => {
	const suggestion = closest(typed, candidates);
	return suggestion ? `; did you mean ${suggestion}?` : '';
};

function unknownOption(message: string): string {
	const typed = /^Unknown option '(--[^']+)'/.exec(message)?.[1];
	return typed
		? `Unknown option '${typed}'${didYouMean(
				typed,
				allOptions.map(option => `--${option.name}`),
			)}`
		: message;
}

/** Node's own parser: strict, so an unknown or malformed flag is a usage error (exit 2). */
function parse(argv: readonly string[]): {
	input: string[];
	flags: Flags;
	given: string[];
} {
	try {
		const {values, positionals} = parseArgs({
			args: [...argv],
			options: parserOptions,
			allowPositionals: true,
			strict: true,
		});
		const flags = Object.fromEntries(
			Object.entries(values).map(([key, value]) => [
				camel(key),
				Array.isArray(value) ? value.at(-1) : value,
			]),
		);
		return {input: positionals, flags, given: Object.keys(values)};
	} catch (error) {
		throw new UsageError(
			unknownOption(
				(error as Error).message.replace(/\. To specify a positional.*$/s, ''),
			),
			'See `codex-k8s-install --help` for every flag.',
		);
	}
}

/** `a`, `a and b`, `a, b and c`. */
const listed = (words: readonly string[]) =>
	words.length > 1
		? `${words.slice(0, -1).join(', ')} and ${words.at(-1)!}`
		: words.join('');

/** An option the command does not read is refused, not silently ignored. */
function assertOptionsApply(command: CommandName, given: readonly string[]) {
	const allowed = new Set(allowedOptions(command).map(option => option.name));
	const stray = given.find(name => !allowed.has(name));
	if (stray) {
		const takers = commandsTaking(stray);
		throw new UsageError(
			`--${stray} does not apply to \`${command}\``,
			`${takers.length > 0 ? `It is an option of ${listed(takers)} only. ` : ''}See \`codex-k8s-install ${command} --help\`.`,
		);
	}
}

/** Whether stdout must be JSON, known even when the rest of the command line is wrong. */
const wantsJson = (argv: readonly string[]) => {
	const end = argv.indexOf('--');
	return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
};

function commandNamed(name: string): CommandName {
	if (!commandNames.includes(name as CommandName)) {
		throw new UsageError(
			`Unknown command "${name}"${didYouMean(name, commandNames)}`,
			`Commands: ${commandNames.join(', ')}. See --help.`,
		);
	}

	return name as CommandName;
}

/** The operand of the one command that takes one; any other argument is refused. */
function operandFor(
	command: CommandName,
	extra: readonly string[],
): string | undefined {
	const operands = operandOf(command);
	const [operand, ...stray] = operands ? extra : [undefined, ...extra];
	if (operands && !operands.includes(operand!)) {
		throw new UsageError(
			operand
				? `\`${command}\` got "${operand}"${didYouMean(operand, operands)}`
				: `\`${command}\` needs one of ${operands.join(', ')}`,
			`For example: \`codex-k8s-install ${command} ${operands[0]!}\`.`,
		);
	}

	if (stray.length > 0) {
		throw new UsageError(
			`Unexpected argument "${stray[0]!}"`,
			`See \`codex-k8s-install ${command} --help\`.`,
		);
	}

	return operand;
}

/** Parse argv, decide interactivity once, run one command, return its exit code. */
export async function main(
	argv: readonly string[],
	streams: Streams = process,
	env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
	const {version} = packageJson;
	const program = invokedAs(env);
	const json = wantsJson(argv);
	const print = (text: string, field: 'help' | 'version') => {
		streams.stdout.write(
			json
				? `${JSON.stringify({ok: true, [field]: text}, undefined, 2)}\n`
				: `${text}\n`,
		);
		return exitCodes.ok;
	};

	try {
		const cli = parse(argv);
		const {flags} = cli;
		if (flags['version']) {
			return print(version, 'version');
		}

		const [name = 'install', ...extra] = cli.input;
		const command = commandNamed(name);
		if (flags['help']) {
			return print(
				cli.input.length > 0
					? commandHelp(command, program)
					: globalHelp(version, program),
				'help',
			);
		}

		const operand = operandFor(command, extra);
		assertOptionsApply(command, cli.given);
		const module = await loadCommand(command);
		return await module.run({
			command,
			flags,
			operand,
			streams,
			env,
			interactive: decideInteractive(streams, env, flags),
			version,
			program,
		});
	} catch (error) {
		streams.stderr.write(`${asInvoked(formatError(error), program)}\n`);
		if (json) {
			const document = {ok: false, error: errorJson(error)};
			streams.stdout.write(
				`${asInvoked(JSON.stringify(document, undefined, 2), program)}\n`,
			);
		}

		return exitCodeOf(error);
	}
}

export {exitCodes} from './errors.js';
