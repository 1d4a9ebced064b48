import {
	commandNames,
	commands,
	commandsTaking,
	operandOf,
	takesAnswers,
	type CommandName,
} from './commands/index.js';
import {
	answerOptions,
	commandOptions,
	commonOptions,
	globalOptions,
	optionLabel,
	type Option,
} from './commands/options.js';
import {supportedSystems} from './config/supported-systems.js';

/** Help fits a classic 80-column terminal. */
export const helpWidth = 80;

/** Words of `text` in lines of at most `width` characters (a longer word stands alone). */
function wrap(text: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const word of text.split(' ')) {
		if (line && line.length + 1 + word.length > width) {
			lines.push(line);
			line = word;
		} else {
			line = line ? `${line} ${word}` : word;
		}
	}

	return [...lines, line];
}

/**
 * Two columns: the right one wraps under itself; a left entry too wide for the column puts its
 * description on the next line.
 */
function table(rows: ReadonlyArray<readonly [string, string]>): string {
	const column = 26;
	return rows
		.flatMap(([left, right]) => {
			const text = wrap(right, helpWidth - column).map(
				line => ' '.repeat(column) + line,
			);
			const label = `  ${left}`;
			return label.length + 2 <= column
				? [label.padEnd(column) + text[0]!.trimStart(), ...text.slice(1)]
				: [label, ...text];
		})
		.join('\n');
}

const optionRows = (options: readonly Option[]) =>
	options.map(option => [optionLabel(option), option.description] as const);

const commandSummary = (name: CommandName) => commands[name].summary;

export function globalHelp(version: string, program: string): string {
	const own = Object.values(commandOptions).map(
		option =>
			[
				optionLabel(option),
				`${option.description} (${commandsTaking(option.name).join(', ')})`,
			] as const,
	);
	const about = wrap(
		`Turn a fresh ${supportedSystems} server into a codex-k8s staging environment.`,
		helpWidth,
	).join('\n');
	return `codex-k8s-install ${version}
${about}

Usage
  $ ${program} [command] [options]

Commands
${table(commandNames.map(name => [name, commandSummary(name)] as const))}

Options
${table(optionRows([...commonOptions, ...globalOptions]))}

Options of some commands
${table(own)}

Answers (each also has an environment variable; no secret is ever a flag)
${table(optionRows(answerOptions))}

\`${program} COMMAND --help\` shows one command; docs/ in the package more.
Exit codes: 0 ok, 1 failed, 2 usage error, 130 interrupted.`;
}

export function commandHelp(name: CommandName, program: string): string {
	const own = commands[name].options.map(option => commandOptions[option]);
	const operand = operandOf(name);
	const sections = [
		wrap(`codex-k8s-install ${name} — ${commandSummary(name)}`, helpWidth).join(
			'\n',
		),
		`Usage\n  $ ${program} ${name} ${operand ? operand.join('|') : '[options]'}`,
	];
	if (own.length > 0) {
		sections.push(`Options of ${name}\n${table(optionRows(own))}`);
	}

	if (takesAnswers(name)) {
		sections.push(
			`Common options\n${table(optionRows(commonOptions))}`,
			`Answers\n${table(optionRows(answerOptions))}`,
		);
	}

	return sections.join('\n\n');
}
