import {exitCodes} from '../errors.js';
import {
	allOptions,
	answerOptions,
	commandOptions,
	commonOptions,
	globalOptions,
	type Option,
} from './options.js';
import {programName} from './invoked-as.js';
import {
	allowedOptions,
	commandNames,
	commands,
	operandOf,
	takesAnswers,
	type CommandName,
	type Invocation,
} from './index.js';

export type Shell = 'bash' | 'zsh' | 'fish';

const functionName = `_${programName.replaceAll('-', '_')}`;
const install: CommandName = 'install';
const flagsOf = (option: Option) => [
	`--${option.name}`,
	...(option.short ? [`-${option.short}`] : []),
];
const choices = (option: Option) =>
	Array.isArray(option.values) ? (option.values as readonly string[]) : [];
/** Words each command completes after it: its operand, or its options. */
const wordsOf = (name: CommandName) =>
	operandOf(name) ?? allowedOptions(name).flatMap(option => flagsOf(option));

/** Bash: a value is completed after its option; without a command yet, install's options. */
function bash(): string {
	const valued = allOptions.filter(option => option.value);
	const choiceCases = valued
		.filter(option => choices(option).length > 0 && option.name !== 'only')
		.map(
			option =>
				`\t\t${flagsOf(option).join('|')}) COMPREPLY=($(compgen -W "${choices(option).join(' ')}" -- "$cur")); return ;;`,
		);
	const phases = choices(allOptions.find(option => option.name === 'only')!);
	const commandCases = commandNames.map(
		name => `\t\t${name}) words="${wordsOf(name).join(' ')}" ;;`,
	);
	return `# ${programName} completion for bash. Load it with:
#   source <(${programName} completion bash)
${functionName}() {
	local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
	local command= words i=1
	while ((i < COMP_CWORD)); do
		case \${COMP_WORDS[i]} in
		${valued.flatMap(option => flagsOf(option)).join('|')}) ((i++)) ;;
		-*) ;;
		*) command=\${COMP_WORDS[i]}; break ;;
		esac
		((i++))
	done
	case $prev in
${choiceCases.join('\n')}
		--only)
			local done_=\${cur%"\${cur##*,}"}
			COMPREPLY=($(compgen -P "$done_" -W "${phases.join(' ')}" -- "\${cur##*,}"))
			return ;;
		${valued.flatMap(option => flagsOf(option)).join('|')}) return ;;
	esac
	if [[ -z $command && $cur != -* ]]; then
		COMPREPLY=($(compgen -W "${commandNames.join(' ')}" -- "$cur"))
		return
	fi
	case \${command:-${install}} in
${commandCases.join('\n')}
	esac
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o bashdefault -o default -F ${functionName} ${programName}
`;
}

/** Text inside single quotes for zsh and fish. */
const quoted = (text: string) => `'${text.replaceAll("'", String.raw`'\''`)}'`;
/** A zsh `_arguments` description: brackets and colons have meaning there. */
const zshText = (text: string) =>
	text
		.replaceAll('[', '(')
		.replaceAll(']', ')')
		.replaceAll(':', String.raw`\:`);

function zshSpec(option: Option): string[] {
	const action =
		option.name === 'only'
			? `_values -s , phases ${choices(option).join(' ')}`
			: option.values === 'file'
				? '_files'
				: choices(option).length > 0
					? `(${choices(option).join(' ')})`
					: '';
	const tail = option.value ? `:${option.value}:${action}` : '';
	return flagsOf(option).map(flag =>
		quoted(`${flag}[${zshText(option.description)}]${tail}`),
	);
}

function zsh(): string {
	const described = commandNames.map(name =>
		quoted(`${name}:${commands[name].summary.replaceAll(':', String.raw`\:`)}`),
	);
	const shared = [...commonOptions, ...answerOptions];
	const commandCases = commandNames.map(name => {
		const operand = operandOf(name);
		const own = operand
			? [quoted(`1:shell:(${operand.join(' ')})`)]
			: commands[name].options.flatMap(option =>
					zshSpec(commandOptions[option]),
				);
		const specs = [
			'$global',
			...(takesAnswers(name) ? ['$shared'] : []),
			...own,
		];
		return `\t\t${name}) _arguments ${specs.join(' ')} ;;`;
	});
	return `# ${programName} completion for zsh. Load it with:
#   source <(${programName} completion zsh)
${functionName}() {
	local state line
	local -a commands=(${described.join(' ')})
	local -a global=(${globalOptions.flatMap(option => zshSpec(option)).join(' ')})
	local -a shared=(${shared.flatMap(option => zshSpec(option)).join(' ')})
	_arguments -C '1: :->command' '*:: :->options'
	case $state in
	command) _describe -t commands command commands ;;
	options)
		case $line[1] in
${commandCases.join('\n')}
		esac ;;
	esac
}
compdef ${functionName} ${programName}
`;
}

function fish(): string {
	const lines = commandNames.map(
		name =>
			`complete -c ${programName} -n __fish_use_subcommand -a ${name} -d ${quoted(commands[name].summary)}`,
	);
	for (const option of allOptions) {
		const takers = commandNames.filter(name =>
			allowedOptions(name).includes(option),
		);
		const condition = `__fish_seen_subcommand_from ${takers.join(' ')}${takers.includes(install) ? '; or __fish_use_subcommand' : ''}`;
		const value =
			option.values === 'file'
				? ' -r -F'
				: choices(option).length > 0
					? ` -x -a ${quoted(choices(option).join(' '))}`
					: option.value
						? ' -x'
						: '';
		lines.push(
			`complete -c ${programName} -n ${quoted(condition)} -l ${option.name}${option.short ? ` -s ${option.short}` : ''}${value} -d ${quoted(option.description)}`,
		);
	}

	for (const name of commandNames) {
		const operand = operandOf(name);
		if (operand) {
			lines.push(
				`complete -c ${programName} -n ${quoted(`__fish_seen_subcommand_from ${name}`)} -a ${quoted(operand.join(' '))}`,
			);
		}
	}

	return `# ${programName} completion for fish. Load it with:
#   ${programName} completion fish | source
complete -c ${programName} -f
${lines.join('\n')}
`;
}

function completionScript(shell: Shell): string {
	return {bash, zsh, fish}[shell]();
}

/** `completion bash|zsh|fish`: the script on stdout, for the shell's startup file. */
export async function run({operand, streams}: Invocation): Promise<number> {
	streams.stdout.write(completionScript(operand as Shell));
	return exitCodes.ok;
}
